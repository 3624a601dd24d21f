import { expect } from 'chai'
import { SessionKeeper, SignInThrottle } from '@domino-sm/adapter-http'

const ALICE = { name: 'alice', token: 'alice-token-0123456789abcdef' }
const BOB = { name: 'bob', token: 'bob-token-0123456789abcdef00' }
const ADMIN = 'admin-token-0123456789abcdef'
const config = { operators: [ALICE, BOB], sessionMinutes: 60, idleMinutes: 10, secureCookie: 'auto' as const }
const MIN = 60_000
const T0 = Date.UTC(2026, 4, 24, 9)

describe('console sessions', () => {
  const keeper = new SessionKeeper(config, ADMIN)

  it('knows who holds a token: operators act, the admin token reads', () => {
    expect(keeper.whoHolds(ALICE.token)).to.deep.equal({ name: 'alice', role: 'operator', via: 'bearer' })
    expect(keeper.whoHolds(ADMIN)).to.deep.equal({ name: 'admin (read-only)', role: 'reader', via: 'bearer' })
    expect(keeper.whoHolds(`${ALICE.token}x`)).to.equal(undefined)
    expect(keeper.whoHolds('')).to.equal(undefined)
    expect(new SessionKeeper({ ...config, operators: [] }, undefined).enabled).to.equal(false)
  })

  it('accepts its own cookie until the session ends or idles out; a touch restarts the idle time', () => {
    const { cookie, session } = keeper.open({ name: 'alice', role: 'operator', via: 'bearer' }, T0)
    expect(keeper.verify(cookie, T0 + 9 * MIN)?.principal).to.deep.equal({
      name: 'alice',
      role: 'operator',
      via: 'session',
    })
    expect(keeper.verify(cookie, T0 + 11 * MIN), 'idle').to.equal(undefined)
    const touched = keeper.touch(session, T0 + 9 * MIN)
    expect(keeper.verify(touched, T0 + 18 * MIN)).not.to.equal(undefined)
    const late = keeper.touch(session, T0 + 55 * MIN)
    expect(keeper.verify(late, T0 + 61 * MIN), 'past the session length').to.equal(undefined)
    expect(keeper.verify(cookie, T0 - 2 * MIN), 'seen in the future').to.equal(undefined)
  })

  it('refuses a cookie signed for someone else, a changed token, a forgotten session', () => {
    const { cookie, session } = keeper.open({ name: 'alice', role: 'operator', via: 'bearer' }, T0)
    const [payload, signature] = cookie.split('.') as [string, string]
    const asBob = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), n: 'bob' }),
    ).toString('base64url')
    expect(keeper.verify(`${asBob}.${signature}`, T0)).to.equal(undefined)
    const asReader = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(payload, 'base64url').toString()),
        r: 'reader',
        n: 'admin (read-only)',
      }),
    ).toString('base64url')
    expect(keeper.verify(`${asReader}.${signature}`, T0)).to.equal(undefined)
    const rotated = new SessionKeeper(
      { ...config, operators: [{ name: 'alice', token: 'alice-new-token-0123456789' }, BOB] },
      ADMIN,
    )
    expect(rotated.verify(cookie, T0), 'a rotated token ends the session').to.equal(undefined)
    for (const junk of ['', '.', 'a.b.c', `${payload}.`, '%%%.%%%'])
      expect(keeper.verify(junk, T0), junk).to.equal(undefined)
    keeper.forget(session, T0)
    expect(keeper.verify(cookie, T0)).to.equal(undefined)
  })

  it('binds the CSRF token to the session', () => {
    const a = keeper.open({ name: 'alice', role: 'operator', via: 'bearer' }, T0).session
    const b = keeper.open({ name: 'alice', role: 'operator', via: 'bearer' }, T0).session
    expect(keeper.checkCsrf(a, keeper.csrfToken(a))).to.equal(true)
    expect(keeper.checkCsrf(a, keeper.csrfToken(b))).to.equal(false)
    expect(keeper.checkCsrf(a, undefined)).to.equal(false)
    expect(keeper.checkCsrf(a, '')).to.equal(false)
  })

  it('slows failed sign-ins per address, doubling to 8 s, and forgets after a success or 15 minutes', () => {
    const throttle = new SignInThrottle()
    expect(throttle.delayFor('10.0.0.1', T0)).to.equal(0)
    const delays = Array.from({ length: 7 }, () => {
      throttle.failed('10.0.0.1', T0)
      return throttle.delayFor('10.0.0.1', T0)
    })
    expect(delays).to.deep.equal([250, 500, 1000, 2000, 4000, 8000, 8000])
    expect(throttle.delayFor('10.0.0.2', T0)).to.equal(0)
    expect(throttle.delayFor('10.0.0.1', T0 + 16 * MIN)).to.equal(0)
    throttle.succeeded('10.0.0.1')
    expect(throttle.delayFor('10.0.0.1', T0)).to.equal(0)
  })
})
