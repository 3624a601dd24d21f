import { expect } from 'chai'
import { parseEmulatorArgs } from '@domino-sm/testkit/emulator'

const base = ['--url', 'http://127.0.0.1:8080/sbermarket/orders/hook/', '--token', 'a-token-0123456789']

describe('emulator: command line', () => {
  it('takes the URL, the token and the number of orders, with defaults for the rest', () => {
    expect(parseEmulatorArgs([...base, '--orders', '40'])).to.deep.equal({
      url: 'http://127.0.0.1:8080/sbermarket/orders/hook/',
      token: 'a-token-0123456789',
      orders: 40,
      timeScale: 1,
      seed: 1,
      concurrency: 16,
      auth: 'client-token',
    })
  })

  it('takes the form of the token and the Basic user name, and names a bad form', () => {
    expect(parseEmulatorArgs([...base, '--auth', 'basic', '--basic-user', 'partner'])).to.deep.include({
      auth: 'basic',
      basicUser: 'partner',
    })
    expect(parseEmulatorArgs([...base, '--auth', 'by-seed'])).to.deep.include({ auth: 'by-seed' })
    expect(() => parseEmulatorArgs([...base, '--auth', 'digest'])).to.throw(
      '--auth must be one of client-token, bearer, basic, by-seed, got "digest"',
    )
    expect(() => parseEmulatorArgs([...base, '--basic-user', 'a:b'])).to.throw('--basic-user cannot hold a colon')
  })

  it("takes the admin API's URL (the internal listener) and refuses one that is not a URL", () => {
    expect(
      parseEmulatorArgs([...base, '--admin-token', 'admin-0123456789', '--admin-url', 'http://127.0.0.1:8081']),
    ).to.deep.include({ adminUrl: 'http://127.0.0.1:8081' })
    expect(parseEmulatorArgs(base)).to.not.have.property('adminUrl')
    expect(() => parseEmulatorArgs([...base, '--admin-url', 'port 8081'])).to.throw(
      '--admin-url is not a URL: "port 8081"',
    )
  })

  it('takes the admin token and a fractional time scale', () => {
    expect(parseEmulatorArgs([...base, '--admin-token', 'admin-0123456789', '--time-scale', '0.01'])).to.deep.include({
      adminToken: 'admin-0123456789',
      timeScale: 0.01,
    })
  })

  it('refuses a missing URL or token, a bad URL, and numbers that are not positive', () => {
    expect(() => parseEmulatorArgs(['--token', 't'])).to.throw('--url is required')
    expect(() => parseEmulatorArgs(['--url', 'http://x/'])).to.throw('--token is required')
    expect(() => parseEmulatorArgs(['--url', 'not a url', '--token', 't'])).to.throw('--url is not a URL')
    expect(() => parseEmulatorArgs([...base, '--orders', '0'])).to.throw('--orders must be a positive whole number')
    expect(() => parseEmulatorArgs([...base, '--orders', '2.5'])).to.throw('--orders')
    expect(() => parseEmulatorArgs([...base, '--time-scale', '0'])).to.throw('--time-scale must be a positive number')
    expect(() => parseEmulatorArgs([...base, '--unknown', '1'])).to.throw()
  })
})
