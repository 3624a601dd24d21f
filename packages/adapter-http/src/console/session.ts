import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { ConsoleConfig } from './console-config.js'
import { READER_NAME, type Principal } from './console-deps.js'

/**
 * Console sessions, signed, not stored: the cookie holds who signed in, when, when last seen, and a random id,
 * signed with a key derived from that person's own token. Every instance of the hook checks any session without a
 * shared store (nginx may send an operator to any of the 4), and changing or removing a token ends that person's
 * sessions everywhere at once. Signing out forgets the session on the instance that signed it out (a short list of
 * ids, kept until they expire) and clears the cookie; the cookie holds no secret, and expires by itself.
 */

interface Credential {
  readonly name: string
  readonly role: Principal['role']
  readonly token: string
}

interface SessionBody {
  readonly n: string
  readonly r: Principal['role']
  /** Signed in at, and last seen at (ms since the epoch). */
  readonly i: number
  readonly s: number
  /** The session's random id: what the CSRF token is bound to, and what sign-out forgets. */
  readonly k: string
}

export interface Session {
  readonly principal: Principal
  readonly id: string
  readonly issuedAt: number
  readonly seenAt: number
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest()

/** Equal in constant time whatever the lengths: both sides are hashed first. */
const sameSecret = (presented: string, expected: string): boolean =>
  timingSafeEqual(digest(presented), digest(expected))

const b64 = (buffer: Buffer): string => buffer.toString('base64url')

export class SessionKeeper {
  private readonly credentials: readonly Credential[]
  private readonly forgotten = new Map<string, number>()

  constructor(
    private readonly config: ConsoleConfig,
    adminToken: string | undefined,
  ) {
    this.credentials = [
      ...config.operators.map((o) => ({ name: o.name, role: 'operator' as const, token: o.token })),
      ...(adminToken === undefined ? [] : [{ name: READER_NAME, role: 'reader' as const, token: adminToken }]),
    ]
  }

  /** Whether anybody can sign in at all. */
  get enabled(): boolean {
    return this.credentials.length > 0
  }

  /** The credential a token belongs to: every one compared, in constant time each, so the time says nothing. */
  whoHolds(token: string): Principal | undefined {
    let found: Credential | undefined
    for (const credential of this.credentials)
      if (sameSecret(token, credential.token) && found === undefined) found = credential
    return found === undefined ? undefined : { name: found.name, role: found.role, via: 'bearer' }
  }

  private keyOf(credential: Credential): Buffer {
    return createHmac('sha256', credential.token).update('sm-console-session-v1').digest()
  }

  private sign(credential: Credential, body: SessionBody): string {
    const payload = b64(Buffer.from(JSON.stringify(body), 'utf8'))
    return `${payload}.${b64(createHmac('sha256', this.keyOf(credential)).update(payload).digest())}`
  }

  /** A new session's cookie value for the holder of a token. */
  open(principal: Principal, now: number): { readonly cookie: string; readonly session: Session } {
    const credential = this.credentials.find((c) => c.name === principal.name && c.role === principal.role)
    if (credential === undefined) throw new Error('no such credential')
    const body: SessionBody = { n: credential.name, r: credential.role, i: now, s: now, k: b64(randomBytes(18)) }
    return { cookie: this.sign(credential, body), session: this.sessionOf(body) }
  }

  /** The cookie of a session seen now (its idle time starts again). */
  touch(session: Session, now: number): string {
    const credential = this.credentials.find(
      (c) => c.name === session.principal.name && c.role === session.principal.role,
    )
    if (credential === undefined) throw new Error('no such credential')
    return this.sign(credential, { n: credential.name, r: credential.role, i: session.issuedAt, s: now, k: session.id })
  }

  private sessionOf(body: SessionBody): Session {
    return { principal: { name: body.n, role: body.r, via: 'session' }, id: body.k, issuedAt: body.i, seenAt: body.s }
  }

  /** The session a cookie proves, if its signature holds and it has not expired, idled out or been signed out. */
  verify(cookie: string, now: number): Session | undefined {
    const [payload, signature, extra] = cookie.split('.')
    if (payload === undefined || signature === undefined || extra !== undefined || payload.length > 1024)
      return undefined
    let body: SessionBody
    try {
      body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as SessionBody
    } catch {
      return undefined
    }
    if (
      typeof body !== 'object' ||
      body === null ||
      typeof body.n !== 'string' ||
      typeof body.k !== 'string' ||
      typeof body.i !== 'number' ||
      typeof body.s !== 'number'
    )
      return undefined
    const credential = this.credentials.find((c) => c.name === body.n && c.role === body.r)
    if (credential === undefined) return undefined
    const expected = b64(createHmac('sha256', this.keyOf(credential)).update(payload).digest())
    if (!sameSecret(signature, expected)) return undefined
    if (
      now - body.i > this.config.sessionMinutes * 60_000 ||
      now - body.s > this.config.idleMinutes * 60_000 ||
      body.s > now + 60_000
    )
      return undefined
    if (this.forgotten.has(body.k)) return undefined
    return this.sessionOf(body)
  }

  /** Signs a session out on this instance: its id is refused until the session would have expired anyway. */
  forget(session: Session, now: number): void {
    for (const [id, until] of this.forgotten) if (until < now) this.forgotten.delete(id)
    this.forgotten.set(session.id, session.issuedAt + this.config.sessionMinutes * 60_000)
  }

  /** The CSRF token of a session: bound to its id and its holder's key, so it is worth nothing in another session. */
  csrfToken(session: Session): string {
    const credential = this.credentials.find(
      (c) => c.name === session.principal.name && c.role === session.principal.role,
    )
    if (credential === undefined) return ''
    return b64(createHmac('sha256', this.keyOf(credential)).update(`csrf:${session.id}`).digest())
  }

  checkCsrf(session: Session, presented: string | undefined): boolean {
    return presented !== undefined && presented !== '' && sameSecret(presented, this.csrfToken(session))
  }
}

/**
 * Failed sign-ins, per client address: each failure doubles the wait before the answer (from 250 ms up to 8 s), so
 * that guessing a token is slow; a success, or 15 minutes without a failure, starts again. At most 10,000 addresses
 * are remembered (the oldest forgotten first).
 */
export class SignInThrottle {
  private readonly failures = new Map<string, { count: number; last: number }>()

  delayFor(address: string, now: number): number {
    const entry = this.failures.get(address)
    if (entry === undefined || now - entry.last > 15 * 60_000) return 0
    return Math.min(8000, 250 * 2 ** (entry.count - 1))
  }

  failed(address: string, now: number): number {
    const entry = this.failures.get(address)
    const count = entry === undefined || now - entry.last > 15 * 60_000 ? 1 : entry.count + 1
    this.failures.delete(address)
    this.failures.set(address, { count, last: now })
    if (this.failures.size > 10_000) {
      const oldest = this.failures.keys().next().value
      if (oldest !== undefined) this.failures.delete(oldest)
    }
    return count
  }

  succeeded(address: string): void {
    this.failures.delete(address)
  }
}
