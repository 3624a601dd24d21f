import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import { parseAppConfig, type AppConfig } from '@domino-sm/adapter-http'

const parsed = (env: Record<string, string>): AppConfig => {
  const result = parseAppConfig(env)
  if (E.isLeft(result)) throw new Error(result.left.join('; '))
  return result.right
}

const problems = (env: Record<string, string>): readonly string[] => {
  const result = parseAppConfig(env)
  if (E.isRight(result)) throw new Error(`expected problems for ${JSON.stringify(env)}`)
  return result.left
}

describe('parseAppConfig: HOOK_AUTH_FORMS, HOOK_BASIC_USER, REQUEST_TIMEOUT_MS', () => {
  it('accepts every form by default, with any Basic user name, and gives a sender 30 s', () => {
    const config = parsed({})
    expect(config.hookAuth).to.deep.equal({ forms: ['client-token', 'bearer', 'basic'] })
    expect(config.requestTimeoutMs).to.equal(30000)
  })

  it('reads the forms in any case and order, with spaces, in the order of HOOK_AUTH_FORMS', () => {
    expect(parsed({ HOOK_AUTH_FORMS: ' Basic , CLIENT-TOKEN ' }).hookAuth).to.deep.equal({
      forms: ['client-token', 'basic'],
    })
    expect(parsed({ HOOK_AUTH_FORMS: 'bearer' }).hookAuth).to.deep.equal({ forms: ['bearer'] })
    expect(parsed({ HOOK_AUTH_FORMS: 'basic', HOOK_BASIC_USER: 'sbermarket' }).hookAuth).to.deep.equal({
      forms: ['basic'],
      basicUser: 'sbermarket',
    })
    expect(parsed({ REQUEST_TIMEOUT_MS: '1000' }).requestTimeoutMs).to.equal(1000)
  })

  it('names every bad value', () => {
    expect(problems({ HOOK_AUTH_FORMS: 'client-token,token' }).join()).to.match(
      /HOOK_AUTH_FORMS: "token" is not a form; use a comma-separated list of client-token, bearer, basic/,
    )
    expect(problems({ HOOK_AUTH_FORMS: ',,' }).join()).to.match(
      /HOOK_AUTH_FORMS must name at least one of client-token, bearer, basic/,
    )
    expect(problems({ HOOK_BASIC_USER: 'a:b' }).join()).to.match(
      /HOOK_BASIC_USER may hold only visible ASCII characters, without spaces or a colon/,
    )
    expect(problems({ HOOK_BASIC_USER: 'sber market' }).join()).to.match(/HOOK_BASIC_USER may hold only/)
    expect(problems({ HOOK_BASIC_USER: 'пользователь' }).join()).to.match(/HOOK_BASIC_USER may hold only/)
    expect(problems({ HOOK_AUTH_FORMS: 'bearer', HOOK_BASIC_USER: 'sbermarket' }).join()).to.match(
      /HOOK_BASIC_USER is set but HOOK_AUTH_FORMS does not allow basic/,
    )
    expect(problems({ REQUEST_TIMEOUT_MS: '999' }).join()).to.match(
      /REQUEST_TIMEOUT_MS must be a whole number from 1000 to 600000, got "999"/,
    )
    expect(problems({ REQUEST_TIMEOUT_MS: '5s' }).join()).to.match(/REQUEST_TIMEOUT_MS must be a whole number/)
  })

  it('reports the auth problems together with every other bad value', () => {
    const all = problems({ HOOK_AUTH_FORMS: 'digest', PORT: 'x', REQUEST_TIMEOUT_MS: '0' })
    expect(all).to.have.length(3)
  })
})
