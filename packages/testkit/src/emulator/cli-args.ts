import { parseArgs } from 'node:util'
import { EMULATOR_AUTH_FORMS, type EmulatorAuth } from './auth-form.js'

/** The emulator command's settings. */
export interface EmulatorCliArgs {
  readonly url: string
  readonly token: string
  readonly orders: number
  readonly adminToken?: string
  /** Where the admin API is: the service's internal listener (INTERNAL_PORT); the hook's origin when not given. */
  readonly adminUrl?: string
  readonly timeScale: number
  readonly seed: number
  readonly concurrency: number
  readonly auth: EmulatorAuth
  readonly basicUser?: string
}

export const EMULATOR_USAGE = `usage: npm run emulate -- --url <hook url> --token <Client-Token> --orders <N>
                         [--admin-token <ADMIN_TOKEN>] [--admin-url <internal listener>] [--time-scale <S>] [--seed <n>] [--concurrency <n>]
                         [--auth client-token|bearer|basic|by-seed] [--basic-user <name>]

Plays a busy SberMarket day against the hook: N orders through their lifecycle, with duplicates, reordering and
cancellations, each event delivered as SberMarket does (5 s timeout, 7 retries). With --admin-token the end state
is read back through the admin API (at --admin-url, the service's internal listener such as http://127.0.0.1:8081;
the hook URL's origin when not given) and checked. --time-scale 0.01 makes every timeout and pause 100 times shorter.
--auth sends the token as Client-Token (the default), Authorization: Bearer, or Basic's password (user --basic-user,
sbermarket by default); by-seed lets the seed pick the form of the day.`

const positive = (name: string, raw: string, integer: boolean): number => {
  const n = Number(raw)
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)))
    throw new Error(`--${name} must be a positive ${integer ? 'whole ' : ''}number, got ${JSON.stringify(raw)}`)
  return n
}

/** Parses the command line; throws an Error whose message is fit to print above the usage. */
export const parseEmulatorArgs = (argv: readonly string[]): EmulatorCliArgs => {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      url: { type: 'string' },
      token: { type: 'string' },
      orders: { type: 'string', default: '100' },
      'admin-token': { type: 'string' },
      'admin-url': { type: 'string' },
      'time-scale': { type: 'string', default: '1' },
      seed: { type: 'string', default: '1' },
      concurrency: { type: 'string', default: '16' },
      auth: { type: 'string', default: 'client-token' },
      'basic-user': { type: 'string' },
    },
    strict: true,
  })
  if (values.url === undefined) throw new Error('--url is required')
  if (values.token === undefined || values.token === '') throw new Error('--token is required')
  try {
    new URL(values.url)
  } catch {
    throw new Error(`--url is not a URL: ${JSON.stringify(values.url)}`)
  }
  const adminUrl = values['admin-url']
  if (adminUrl !== undefined && !URL.canParse(adminUrl))
    throw new Error(`--admin-url is not a URL: ${JSON.stringify(adminUrl)}`)
  const auths: readonly string[] = [...EMULATOR_AUTH_FORMS, 'by-seed']
  if (!auths.includes(values.auth))
    throw new Error(`--auth must be one of ${auths.join(', ')}, got ${JSON.stringify(values.auth)}`)
  const basicUser = values['basic-user']
  if (basicUser !== undefined && basicUser.includes(':')) throw new Error('--basic-user cannot hold a colon')
  return {
    url: values.url,
    token: values.token,
    orders: positive('orders', values.orders, true),
    ...(values['admin-token'] === undefined ? {} : { adminToken: values['admin-token'] }),
    ...(adminUrl === undefined ? {} : { adminUrl }),
    timeScale: positive('time-scale', values['time-scale'], false),
    seed: positive('seed', values.seed, true),
    concurrency: positive('concurrency', values.concurrency, true),
    auth: values.auth as EmulatorAuth,
    ...(basicUser === undefined ? {} : { basicUser }),
  }
}
