import { seededRandom } from '../seeded-random.js'

/**
 * The forms in which SberMarket's client may send the hook's token (docs/contract.md §2): partner clients are set
 * up with a webhook token (`Client-Token`) or with basic auth, and notes on the newer Kuper API name Bearer too.
 */
export const EMULATOR_AUTH_FORMS = ['client-token', 'bearer', 'basic'] as const
export type EmulatorAuthForm = (typeof EMULATOR_AUTH_FORMS)[number]

/** How a day sends the token: one form all day, or `by-seed`: the day's seed picks one of the three. */
export type EmulatorAuth = EmulatorAuthForm | 'by-seed'

/** The user name the emulator sends with Basic unless told another (the hook takes any unless HOOK_BASIC_USER is set). */
export const DEFAULT_BASIC_USER = 'sbermarket'

/** The form of a day: `by-seed` draws it from the seed (the same seed, the same form), so some days are Bearer or Basic. */
export const dayAuthForm = (auth: EmulatorAuth, seed: number): EmulatorAuthForm => {
  if (auth !== 'by-seed') return auth
  const draw = seededRandom(seed ^ 0x5eed)()
  return (
    EMULATOR_AUTH_FORMS[Math.min(EMULATOR_AUTH_FORMS.length - 1, Math.floor(draw * EMULATOR_AUTH_FORMS.length))] ??
    'client-token'
  )
}

/** The header carrying `token` in `form`. */
export const authHeader = (
  form: EmulatorAuthForm,
  token: string,
  basicUser: string = DEFAULT_BASIC_USER,
): Readonly<Record<string, string>> => {
  switch (form) {
    case 'client-token':
      return { 'Client-Token': token }
    case 'bearer':
      return { Authorization: `Bearer ${token}` }
    case 'basic':
      return { Authorization: `Basic ${Buffer.from(`${basicUser}:${token}`, 'utf8').toString('base64')}` }
  }
}
