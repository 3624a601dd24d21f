import type { TokenVerifier } from '@domino-sm/core'

/**
 * A `TokenVerifier` over a fixed list of tokens, for tests and local runs. Not constant-time: the production
 * verifier lives in adapter-http. Blank tokens are never valid, whether presented or configured.
 */
export class StaticTokenVerifier implements TokenVerifier {
  private readonly tokens: ReadonlySet<string>

  constructor(tokens: readonly string[]) {
    this.tokens = new Set(tokens.filter((token) => token !== ''))
  }

  readonly verify = (presented: string | undefined): boolean =>
    presented !== undefined && presented !== '' && this.tokens.has(presented)
}
