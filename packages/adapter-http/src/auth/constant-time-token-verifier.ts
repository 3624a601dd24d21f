import { hash, timingSafeEqual } from 'node:crypto'
import type { TokenVerifier } from '@domino-sm/core'

// The one-shot `hash` (Node 20.12+) skips the Hash object a `createHash` call builds on every request.
const digest = (token: string): Buffer => hash('sha256', token, 'buffer')

/**
 * Accepts any of several tokens (rotation) in constant time: both sides are hashed to equal length before
 * `timingSafeEqual`, and every valid token is compared, so neither the length nor the position of a match leaks.
 */
export class ConstantTimeTokenVerifier implements TokenVerifier {
  readonly #digests: readonly Buffer[]

  constructor(tokens: readonly string[]) {
    if (tokens.length === 0) throw new Error('at least one token is required')
    this.#digests = tokens.map(digest)
  }

  readonly verify = (presented: string | undefined): boolean => {
    const candidate = digest(presented ?? '')
    let matched = false
    for (const valid of this.#digests) matched = timingSafeEqual(candidate, valid) || matched
    return matched && presented !== undefined && presented !== ''
  }
}
