import { expect } from 'chai'
import { eventKindOf } from '@domino-sm/core'
import {
  acceptableStatuses,
  checkDay,
  finalStatus,
  planDay,
  type DeliveryResult,
  type ExpectedForms,
  type OrderRun,
  type OutgoingEvent,
} from '@domino-sm/testkit/emulator'

const delivered = (event: OutgoingEvent, body = ''): DeliveryResult => ({
  event,
  attempts: [{ _tag: 'Answered', status: 200, body, elapsedMs: 1 }],
  delivered: true,
  answer: { status: 200, body },
  cancelledByMarketplace: false,
})

const event = (eventType: string, originalOrderId: string): OutgoingEvent => ({
  eventType,
  originalOrderId,
  body: '{}',
})

const runOf = (id: string, deliveries: DeliveryResult[], expected: ExpectedForms = {}): OrderRun => ({
  plan: { originalOrderId: id, expected, changed: false, waves: [deliveries.map((d) => d.event)] },
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
      const cancels = types.filter((t) => t === 'order.cancelled' || t === 'order.canceled')
      expect(types.filter((t) => t === 'order.delivered').length + cancels.length).to.be.at.least(1)
      expect(types.includes('order.delivered') && cancels.length > 0).to.equal(false)
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
    expect(
      planDay({ orders: 50, seed: 3, shape: { duplicated: 0, overtaking: 0, racing: 0 } }).every((p) =>
        p.waves.every((w) => w.length === 1),
      ),
    ).to.equal(true)
  })
})

describe('emulator: the payload forms of a day', () => {
  const plans = planDay({ orders: 400, seed: 11 })
  const createdBodies = plans.map(
    (p) =>
      JSON.parse(p.waves.flat().find((e) => e.eventType === 'order.created')?.body ?? '{}') as {
        payload: Record<string, unknown>
      },
  )

  it('mixes aliases, empty strings, integer keys, marking codes and unreadable orders in about the shares asked for', () => {
    const count = (test: (payload: Record<string, unknown>) => boolean): number =>
      createdBodies.filter((b) => test(b.payload)).length
    expect(count((p) => 'store_id' in p || 'storeId' in p)).to.be.within(80, 160)
    expect(count((p) => p['comment'] === '')).to.be.within(80, 160)
    expect(count((p) => typeof p['originalOrderId'] === 'number')).to.be.within(20, 70)
    expect(count((p) => JSON.stringify(p).includes('markingCode'))).to.be.within(50, 120)
    expect(plans.filter((p) => p.expected.unreadable !== undefined).length).to.be.within(20, 70)
    const types = new Set(plans.flatMap((p) => p.waves.flat().map((e) => e.eventType)))
    for (const type of ['order.updated', 'order.canceled', 'order.changed', 'order.cancelled', 'order.assembled'])
      expect(types).to.include(type)
  })

  it("keys an integer-keyed order's events by its decimal text, and never changes an order sent unreadable", () => {
    for (const plan of plans) {
      const created = plan.waves.flat().find((e) => e.eventType === 'order.created')
      const payload = (
        JSON.parse(created?.body ?? '{}') as { payload: { originalOrderId?: unknown; orderUUID?: unknown } }
      ).payload
      expect(String(payload.originalOrderId ?? payload.orderUUID)).to.equal(plan.originalOrderId)
      if (plan.expected.unreadable !== undefined)
        expect(plan.waves.flat().some((e) => eventKindOf(e.eventType) === 'changed')).to.equal(false)
    }
  })

  it('keys about a tenth of the orders by orderUUID alone, in every one of their events, and sends it beside the key for about a tenth more', () => {
    const onlyUuid = plans.filter((p) => p.originalOrderId.startsWith('emu-'))
    expect(onlyUuid.length).to.be.within(20, 70)
    for (const plan of onlyUuid) {
      expect(plan.originalOrderId).to.match(
        /^emu-[a-z0-9-]{1,8}:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      )
      expect(plan.expected.orderUuid).to.equal(plan.originalOrderId)
      for (const e of plan.waves.flat()) {
        const payload = (JSON.parse(e.body) as { payload: Record<string, unknown> }).payload
        expect(payload, e.eventType).to.not.have.property('originalOrderId')
        expect(payload['orderUUID'], e.eventType).to.equal(plan.originalOrderId)
      }
    }
    const beside = plans.filter((p) => p.expected.orderUuid !== undefined && !p.originalOrderId.startsWith('emu-'))
    expect(beside.length).to.be.within(15, 70)
    for (const plan of beside) {
      const created = JSON.parse(plan.waves.flat().find((e) => e.eventType === 'order.created')?.body ?? '{}') as {
        payload: Record<string, unknown>
      }
      expect(created.payload['orderUUID']).to.equal(plan.expected.orderUuid)
      expect(String(created.payload['originalOrderId'])).to.equal(plan.originalOrderId)
    }
  })

  it('plans the same forms for the same seed', () => {
    const strip = (ps: ReturnType<typeof planDay>) =>
      ps.map((p) => [p.expected.unreadable ?? null, p.changed, p.waves.flat().map((e) => e.eventType)])
    expect(strip(planDay({ orders: 50, seed: 5 }))).to.deep.equal(strip(planDay({ orders: 50, seed: 5 })))
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
    expect([...acceptableStatuses(['order.paid'], ['order.received'])].sort()).to.deep.equal([
      'handed_to_courier',
      'paid',
    ])
    expect([...acceptableStatuses(['order.paid', 'order.delivered'], [])]).to.deep.equal(['delivered'])
  })

  it('reports a missing order, a wrong status, a second number and a shared number', async () => {
    const answer = (n: string) => JSON.stringify({ status: 'created', number: n })
    const runs = [
      runOf('A', [delivered(event('order.created', 'A'), answer('1')), delivered(event('order.delivered', 'A'))]),
      runOf('B', [
        delivered(event('order.created', 'B'), answer('2')),
        delivered(event('order.created', 'B'), answer('3')),
      ]),
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

  it('reports an order.created answered 4xx, a review mark that is missing or unexpected, and values not kept', async () => {
    const answer = JSON.stringify({ status: 'created', number: '1' })
    const refused: DeliveryResult = {
      ...delivered(event('order.created', 'R'), answer),
      attempts: [
        { _tag: 'Answered', status: 400, body: '', elapsedMs: 1 },
        { _tag: 'Answered', status: 200, body: answer, elapsedMs: 1 },
      ],
    }
    const runs = [
      runOf('R', [refused]),
      runOf('U', [delivered(event('order.created', 'U'), JSON.stringify({ status: 'created', number: '2' }))], {
        unreadable: 'no positions',
      }),
      runOf('V', [delivered(event('order.created', 'V'), JSON.stringify({ status: 'created', number: '3' }))], {
        storeId: '2001',
        shipmentMethod: 'byCourier',
        markingCodes: [['A'], undefined],
      }),
    ]
    const stored: Record<string, object> = {
      R: { number: '1', status: 'new', review: false },
      U: { number: '2', status: 'new', review: false },
      V: {
        number: '3',
        status: 'new',
        review: true,
        storeId: '1437',
        shipmentMethod: 'byCourier',
        markingCodes: [undefined, undefined],
      },
    }
    const check = await checkDay(runs, (id) => Promise.resolve(stored[id] as { number: string; status: string }))
    // Sorted: orders are checked concurrently.
    expect(check.mismatches.map((m) => `${m.originalOrderId}: ${m.problem}`).sort()).to.deep.equal(
      [
        'R: order.created answered 400: SberMarket would cancel the order',
        'U: sent with no positions, but not marked for review',
        'V: marked for review, but it was sent readable',
        'V: store id 1437, sent 2001',
        'V: marking codes [null,null], sent [["A"],null]',
      ].sort(),
    )
  })

  it('does not look for an order the marketplace cancelled', async () => {
    const failed: DeliveryResult = {
      event: event('order.created', 'X'),
      attempts: [],
      delivered: false,
      cancelledByMarketplace: true,
    }
    const check = await checkDay([{ ...runOf('X', [failed]), cancelledByMarketplace: true }], () =>
      Promise.reject(new Error('must not be asked')),
    )
    expect(check.mismatches).to.deep.equal([])
  })
})
