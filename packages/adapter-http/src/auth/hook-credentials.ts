import { hash, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { TokenVerifier } from '@domino-sm/core'

/**
 * The forms in which SberMarket's client may present the hook's token (docs/contract.md §2): the `Client-Token`
 * header, `Authorization: Bearer <token>`, or the password of `Authorization: Basic`. Partner API clients are set
 * up with a webhook token or with basic auth, so a retailer may have configured either; the hook reads all three
 * unless HOOK_AUTH_FORMS narrows them.
 */
export const HOOK_AUTH_FORMS = ['client-token', 'bearer', 'basic'] as const
export type HookAuthForm = (typeof HOOK_AUTH_FORMS)[number]

/** Which forms the hook accepts, and the one user name Basic must carry when the retailer configured one. */
export interface HookAuthSettings {
  readonly forms: readonly HookAuthForm[]
  /** HOOK_BASIC_USER: when set, Basic credentials with another user name carry no valid token. */
  readonly basicUser?: string
}

export const ALL_HOOK_AUTH_FORMS: HookAuthSettings = { forms: HOOK_AUTH_FORMS }

/** The headers the check reads: one value per header as Node keeps it, and every value of `Authorization`. */
export interface CredentialHeaders {
  readonly clientToken: string | undefined
  /** Every `Authorization` header received (Node's `headersDistinct`): more than one is ambiguous and ignored. */
  readonly authorization: readonly string[] | undefined
}

/**
 * The credential headers of a request. `headersDistinct` is read only when an `Authorization` header came: Node builds
 * `headersDistinct` on first read, an array for every header of the request, which a request without
 * `Authorization` (SberMarket's `Client-Token` form) need not pay for. Node keeps the first of repeated
 * `Authorization` headers in `headers`, so it is there whenever `headersDistinct` would hold one.
 */
export const credentialHeaders = (request: Pick<IncomingMessage, 'headers' | 'headersDistinct'>): CredentialHeaders => {
  const clientToken = request.headers['client-token']
  return {
    clientToken: typeof clientToken === 'string' ? clientToken : undefined,
    authorization: request.headers.authorization === undefined ? undefined : request.headersDistinct['authorization'],
  }
}

// RFC 7235 §2.1: an auth scheme is a token, compared without regard to case, then one or more spaces and the
// credentials. Node has already trimmed the value's outer whitespace.
const AUTHORIZATION = /^([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*) +(\S+)$/
// RFC 7617 credentials are base64 (RFC 4648 §4) with its padding; clients that drop the padding are read as well.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/

const digest = (text: string): Buffer => hash('sha256', text, 'buffer')

/**
 * The user and password of Basic credentials, or undefined when they are not base64 or hold no colon. The bytes
 * are read one character each (latin1): RFC 7617 leaves the charset to the client, tokens and HOOK_BASIC_USER are
 * ASCII, so a user name in any charset neither matches by accident nor keeps a right password out.
 */
const basicPair = (credentials: string): { readonly user: string; readonly password: string } | undefined => {
  if (!BASE64.test(credentials)) return undefined
  const decoded = Buffer.from(credentials, 'base64').toString('latin1')
  const colon = decoded.indexOf(':')
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
}

/**
 * The secrets a request presents in the allowed forms (`undefined` for a form that carries none). A Basic user
 * name other than the configured one makes its password no candidate; it is compared through digests of equal
 * length, like the token, so that the check takes the same steps whatever the name.
 */
export const presentedSecrets = (
  headers: CredentialHeaders,
  settings: HookAuthSettings,
): readonly (string | undefined)[] => {
  const allowed = settings.forms
  const secrets: (string | undefined)[] = []
  if (allowed.includes('client-token')) secrets.push(headers.clientToken)
  const values = headers.authorization ?? []
  const parsed = values.length === 1 ? AUTHORIZATION.exec(values[0] ?? '') : null
  const scheme = parsed?.[1]?.toLowerCase()
  const credentials = parsed?.[2]
  if (allowed.includes('bearer')) secrets.push(scheme === 'bearer' ? credentials : undefined)
  if (allowed.includes('basic')) {
    const pair = scheme === 'basic' && credentials !== undefined ? basicPair(credentials) : undefined
    const userMatches =
      pair !== undefined &&
      (settings.basicUser === undefined || timingSafeEqual(digest(pair.user), digest(settings.basicUser)))
    secrets.push(userMatches ? pair.password : undefined)
  }
  return secrets
}

/**
 * Whether any allowed form carries a valid token. Every candidate presented is verified (no early exit), so the
 * time taken depends on which headers were sent, never on how close a guess came. A form that carries nothing
 * (`undefined`) is not verified: it can never be valid, and whether it was sent is no secret; this saves a request
 * in one form the digests of the other two. A wrong `Client-Token` beside a right `Authorization` is accepted: the
 * right token proves the sender, and a proxy or client library may add a header of its own (docs/contract.md §2).
 */
export const authenticates = (
  tokens: TokenVerifier,
  headers: CredentialHeaders,
  settings: HookAuthSettings,
): boolean => {
  let valid = false
  for (const secret of presentedSecrets(headers, settings)) {
    if (secret !== undefined) valid = tokens.verify(secret) || valid
  }
  return valid
}
