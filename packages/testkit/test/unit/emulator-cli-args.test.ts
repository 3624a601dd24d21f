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
    })
  })

  it('takes the admin token and a fractional time scale', () => {
    expect(parseEmulatorArgs([...base, '--admin-token', 'admin-0123456789', '--time-scale', '0.01'])).to.deep.include({ adminToken: 'admin-0123456789', timeScale: 0.01 })
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
