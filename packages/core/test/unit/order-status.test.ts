import { expect } from 'chai'
import { ORDER_STATUSES, isFinalStatus, type OrderStatus, type ReportedStatus } from '@domino-sm/core'
import { judgeTransition } from '@domino-sm/core/internals'

const REPORTED: readonly ReportedStatus[] = ['paid', 'handed_to_courier', 'delivered', 'cancelled']

/** The spec's rules (§4), written independently of the code: forward along the chain, cancel before delivered. */
const CHAIN: readonly OrderStatus[] = ['new', 'paid', 'handed_to_courier', 'delivered']
const expected = (current: OrderStatus, next: ReportedStatus): string => {
  if (current === next) return 'duplicate'
  if (current === 'delivered' || current === 'cancelled') return 'stale'
  if (next === 'cancelled') return 'advance'
  return CHAIN.indexOf(next) > CHAIN.indexOf(current) ? 'advance' : 'stale'
}

describe('order status transitions', () => {
  it('lists every status once', () => {
    expect([...ORDER_STATUSES].sort()).to.deep.equal(['cancelled', 'delivered', 'handed_to_courier', 'new', 'paid'])
  })

  for (const current of ORDER_STATUSES) {
    for (const next of REPORTED) {
      it(`${current} -> ${next} is ${expected(current, next)}`, () => {
        expect(judgeTransition(current, next)).to.equal(expected(current, next))
      })
    }
  }

  it('has exactly these advances', () => {
    const advances = ORDER_STATUSES.flatMap((current) =>
      REPORTED.filter((next) => judgeTransition(current, next) === 'advance').map((next) => `${current}>${next}`),
    )
    expect(advances).to.deep.equal([
      'new>paid',
      'new>handed_to_courier',
      'new>delivered',
      'new>cancelled',
      'paid>handed_to_courier',
      'paid>delivered',
      'paid>cancelled',
      'handed_to_courier>delivered',
      'handed_to_courier>cancelled',
    ])
  })

  it('knows delivered and cancelled are final, and nothing else', () => {
    expect(ORDER_STATUSES.filter(isFinalStatus)).to.deep.equal(['delivered', 'cancelled'])
  })
})
