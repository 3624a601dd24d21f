import { expect } from 'chai'
import { acceptableStatuses, checkDay, finalStatus, planDay, type DeliveryResult, type OrderRun, type OutgoingEvent } from '@domino-sm/testkit/emulator'

const delivered = (event: OutgoingEvent, body = ''): DeliveryResult => ({
  event,
  attempts: [{ _tag: 'Answered', status: 200, body, elapsedMs: 1 }],
  delivered: true,
  answer: { status: 200, body },
  cancelledByMarketplace: false,
})

const event = (eventType: string, originalOrderId: string): OutgoingEvent => ({ eventType, originalOrderId, body: '{}' })

const runOf = (id: string, deliveries: DeliveryResult[]): OrderRun => ({
  plan: { originalOrderId: id, waves: [deliveries.map((d) => d.event)] },
  deliveries,
  cancelledByMarketplace: false,
})

describe('emulator: planning a day', () => {
  it('gives every order one lifecycle that starts with order.created and ends delivered or cancelled', () => {
    const plans = planDay({ orders: 200, seed: 7 })
    expect(new Set(plans.map((p) => p.originalOrderId)).size).to.equal(200)
    for (const plan of plans) {
      const types = plan.waves.flat().map((e) => e.eventType)
      expect(types).to.include('order.created')
      expect(types.filter((t) => t === 'order.delivered' || t === 'order.cancelled').length).to.be.at.least(1)
      expect(types.includes('order.delivered') && types.includes('order.cancelled')).to.equal(false)
      expect(plan.waves.flat().every((e) => e.originalOrderId === plan.originalOrderId)).to.equal(true)
    }
  })

  it('adds duplicates, overtaking and racing in the shares asked for', () => {
    const plans = planDay({ orders: 300, seed: 3 })
    const firstWaveTypes = plans.map((p) => (p.waves[0] ?? []).map((e) => e.eventType))
    const overtaken = firstWaveTypes.filter((types) => !types.includes('order.created')).length
    const raced = firstWaveTypes.filter((types) => types.length > 1 && types[0] !== 'order.created').length
    const duplicated = plans.filter((p) => {
      const bodies = p.waves.flat().map((e) => e.body)
      return new Set(bodies).size < bodies.length
    }).length
    expect(overtaken).to.be.within(10, 60)
    expect(raced).to.be.within(10, 60)
    expect(duplicated).to.be.above(100)
    expect(planDay({ orders: 50, seed: 3, shape: { duplicated: 0, overtaking: 0, racing: 0 } }).every((p) => p.waves.every((w) => w.length === 1))).to.equal(true)
  })
})

describe('emulator: what the end state must be', () => {
  it('folds status events forward only, whatever their order', () => {
    expect(finalStatus(['order.created', 'order.delivered', 'order.paid', 'order.received'])).to.equal('delivered')
    expect(finalStatus(['order.cancelled', 'order.paid'])).to.equal('cancelled')
    expect(finalStatus(['order.created', 'order.changed'])).to.equal('new')
    expect(finalStatus(['order.received', 'order.paid'])).to.equal('handed_to_courier')
  })

  it('allows either outcome of an event whose delivery gave up', () => {
    expect([...acceptableStatuses(['order.paid'], ['order.received'])].sort()).to.deep.equal(['handed_to_courier', 'paid'])
    expect([...acceptableStatuses(['order.paid', 'order.delivered'], [])]).to.deep.equal(['delivered'])
  })

  it('reports a missing order, a wrong status, a second number and a shared number', async () => {
    const answer = (n: string) => JSON.stringify({ status: 'created', number: n })
    const runs = [
      runOf('A', [delivered(event('order.created', 'A'), answer('1')), delivered(event('order.delivered', 'A'))]),
      runOf('B', [delivered(event('order.created', 'B'), answer('2')), delivered(event('order.created', 'B'), answer('3'))]),
      runOf('C', [delivered(event('order.created', 'C'), answer('4')), delivered(event('order.cancelled', 'C'))]),
      runOf('D', [delivered(event('order.created', 'D'), answer('4'))]),
      runOf('E', [delivered(event('order.created', 'E'), answer('5'))]),
    ]
    const stored: Record<string, { number: string; status: string }> = {
      A: { number: '1', status: 'paid' },
      B: { number: '2', status: 'new' },
      C: { number: '4', status: 'cancelled' },
      D: { number: '4', status: 'new' },
    }
    const check = await checkDay(runs, (id) => Promise.resolve(stored[id]))
    const problems = check.mismatches.map((m) => `${m.originalOrderId}: ${m.problem}`)
    expect(problems).to.have.length(4)
    expect(problems.some((p) => p.startsWith('A: status paid'))).to.equal(true)
    expect(problems.some((p) => p.startsWith('B: order.created answers carried different numbers'))).to.equal(true)
    expect(problems).to.include('D: shares number 4 with C')
    expect(problems.some((p) => p.startsWith('E: missing'))).to.equal(true)
    const clean = await checkDay([runs[0] as OrderRun], () => Promise.resolve({ number: '1', status: 'delivered' }))
    expect(clean.mismatches).to.deep.equal([])
  })

  it('does not look for an order the marketplace cancelled', async () => {
    const failed: DeliveryResult = { event: event('order.created', 'X'), attempts: [], delivered: false, cancelledByMarketplace: true }
    const check = await checkDay([{ ...runOf('X', [failed]), cancelledByMarketplace: true }], () => Promise.reject(new Error('must not be asked')))
    expect(check.mismatches).to.deep.equal([])
  })
})
