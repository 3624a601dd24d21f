import { expect } from 'chai'
import {
  ALL_HOOK_AUTH_FORMS,
  ConstantTimeTokenVerifier,
  presentedSecrets,
  authenticates,
  type HookAuthSettings,
} from '@domino-sm/adapter-http'

const TOKEN = 'unit-token-0123456789abcdef'
const tokens = new ConstantTimeTokenVerifier([TOKEN])
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64')

const headers = (clientToken?: string, ...authorization: string[]) => ({
  clientToken,
  authorization: authorization.length === 0 ? undefined : authorization,
})

describe('hook credentials (the forms of the token)', () => {
  it('gives one candidate per allowed form, in the order client-token, bearer, basic', () => {
    expect(presentedSecrets(headers('a', `Bearer b`), ALL_HOOK_AUTH_FORMS)).to.deep.equal(['a', 'b', undefined])
    expect(presentedSecrets(headers(undefined, `Basic ${b64('u:p:q')}`), ALL_HOOK_AUTH_FORMS)).to.deep.equal([
      undefined,
      undefined,
      'p:q',
    ])
    expect(presentedSecrets(headers('a', `Bearer b`), { forms: ['bearer'] })).to.deep.equal(['b'])
  })

  it('reads no Authorization when there are several of them', () => {
    expect(
      presentedSecrets(headers(undefined, `Bearer ${TOKEN}`, `Bearer ${TOKEN}`), ALL_HOOK_AUTH_FORMS),
    ).to.deep.equal([undefined, undefined, undefined])
  })

  it("takes Basic's password only with the configured user name", () => {
    const settings: HookAuthSettings = { forms: ['basic'], basicUser: 'sm' }
    expect(presentedSecrets(headers(undefined, `Basic ${b64(`sm:${TOKEN}`)}`), settings)).to.deep.equal([TOKEN])
    expect(presentedSecrets(headers(undefined, `Basic ${b64(`SM:${TOKEN}`)}`), settings)).to.deep.equal([undefined])
  })

  it('authenticates when any allowed form carries a valid token, and never on an empty or missing one', () => {
    expect(authenticates(tokens, headers('wrong', `Bearer ${TOKEN}`), ALL_HOOK_AUTH_FORMS)).to.equal(true)
    expect(authenticates(tokens, headers(TOKEN, 'Bearer wrong'), ALL_HOOK_AUTH_FORMS)).to.equal(true)
    expect(authenticates(tokens, headers(TOKEN), { forms: ['bearer', 'basic'] })).to.equal(false)
    expect(authenticates(tokens, headers('', 'Bearer '), ALL_HOOK_AUTH_FORMS)).to.equal(false)
    expect(authenticates(tokens, headers(undefined, `Basic ${b64('u:')}`), ALL_HOOK_AUTH_FORMS)).to.equal(false)
    expect(authenticates(tokens, headers(), ALL_HOOK_AUTH_FORMS)).to.equal(false)
  })

  it('verifies every candidate presented, not stopping at the first valid one, and no empty form', () => {
    const verified: (string | undefined)[] = []
    const counting = {
      verify: (presented: string | undefined): boolean => verified.push(presented) > 0 && tokens.verify(presented),
    }
    expect(authenticates(counting, headers(TOKEN, 'Bearer wrong'), ALL_HOOK_AUTH_FORMS)).to.equal(true)
    expect(verified).to.deep.equal([TOKEN, 'wrong'])
    verified.length = 0
    const basic = headers(undefined, `Basic ${b64(`u:${TOKEN}`)}`)
    expect(authenticates(counting, basic, ALL_HOOK_AUTH_FORMS)).to.equal(true)
    expect(verified).to.deep.equal([TOKEN])
    verified.length = 0
    expect(authenticates(counting, headers(), ALL_HOOK_AUTH_FORMS)).to.equal(false)
    expect(verified).to.deep.equal([])
  })
})
