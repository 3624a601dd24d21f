import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import { decodeHookBody, type HookMessage, type HookProblem, type OrderEvent } from '@domino-sm/core'
import { decodeHookBodyByCodecs } from '../../dist/wire/decode-hook-body.js'
import { EVENT_TYPE_KEYS } from '../../dist/wire/event-type.js'
import { parseWithExactKeys } from '../../dist/wire/exact-key.js'
import { fastOrderPayload } from '../../dist/wire/fast-order-payload.js'
import {
  ABSENT_SAMPLES,
  CANCELLATION_REASON,
  FORM_SAMPLES,
  KEY_SAMPLES,
  MARKING_CODE_VALUE_WIRE,
  ORDER_ENTRIES,
  ORDER_UUID_KEY,
  ORIGINAL_ORDER_ID_KEY,
  POSITION_FIELDS,
  POSITIONS_KEY,
  type FieldSpec,
} from '../../dist/wire/wire-forms.js'
import { tablePlacements, type Placement } from '../support/wire-arbitraries.js'

/**
 * Every reader against the table of wire forms (`wire-forms.ts`): for every field, every spelling of it and every
 * sample of its form, the fast path (`decodeHookBody`, and `fastOrderPayload` itself), the codecs
 * (`decodeHookBodyByCodecs`) and the reader for review (the same body with one more position it cannot read) give
 * the table's value in the table's domain field; a refused sample is refused by all three, each in its own way. A
 * spelling added to the table is tested here with no other change; a reader that does not read it fails here.
 */

const SLOT = '@@slot@@'
const GOOD_LINE = { id: '4601234567890', quantity: 1, price: '10.50' }
/** A position the strict reader refuses (no price), so that the body is read for review. */
const UNREADABLE_LINE = { id: 'NOPRICE', quantity: 1 }

/** An order.created body whose payload holds the JSON text `json` at `placement` under `key` (or not at all). */
const bodyWith = (
  placement: Placement,
  key: string,
  json: string | undefined,
  extraLines: readonly unknown[] = [],
): string => {
  const value = json === undefined ? undefined : SLOT
  const line: Record<string, unknown> = { ...GOOD_LINE }
  const payload: Record<string, unknown> = { originalOrderId: 'H1' }
  if (placement.where === 'position') {
    if (placement.field.required !== undefined) delete line[placement.field.wire[0]]
    if (value !== undefined) line[key] = value
  } else if (placement.where === 'header') {
    if (value !== undefined) payload[key] = value
  } else if (placement.where === 'group' && value !== undefined) {
    payload[placement.group] = { [key]: value }
  }
  payload[POSITIONS_KEY] = [line, ...extraLines]
  const text = JSON.stringify({ event_type: 'order.created', payload })
  return json === undefined ? text : text.replace(`"${SLOT}"`, json)
}

const createdOf = (decoded: E.Either<HookProblem, HookMessage>): Extract<OrderEvent, { _tag: 'OrderCreated' }> => {
  if (E.isLeft(decoded) || decoded.right._tag !== 'KnownEvent' || decoded.right.event._tag !== 'OrderCreated') {
    throw new Error(`not an order.created: ${JSON.stringify(decoded)}`)
  }
  return decoded.right.event
}

/** The domain value the placement's field was read as, in the first line or the content. */
const domainValue = (event: Extract<OrderEvent, { _tag: 'OrderCreated' }>, placement: Placement): unknown => {
  const content = event.content as unknown as Readonly<Record<string, Readonly<Record<string, unknown>> | undefined>>
  const line = event.content.positions[0] as unknown as Readonly<Record<string, unknown>> | undefined
  if (placement.where === 'position') return line?.[placement.field.domain]
  if (placement.where === 'group') return content[placement.groupDomain]?.[placement.field.domain]
  return (content as Readonly<Record<string, unknown>>)[placement.field.domain]
}

type Json = Readonly<Record<string, unknown>>
const payloadOf = (raw: string): Json => (parseWithExactKeys(raw) as { readonly payload: Json }).payload

const PLACEMENTS = tablePlacements()
const describePlacement = (p: Placement, key: string): string =>
  p.where === 'position' ? `positions[].${key}` : p.where === 'group' ? `${p.group}.${key}` : key

describe('the readers against the table of wire forms (wire-forms.ts)', () => {
  const tally = { spellings: 0, reads: 0, refusals: 0 }
  after(() => {
    const { spellings, reads, refusals } = tally
    const counts = `${spellings} spellings, ${reads} readings and ${refusals} refusals`
    process.stdout.write(`      wire forms: ${counts} checked on three readers\n`)
  })

  it('knows every field of the table, every spelling of it', () => {
    const spellings = PLACEMENTS.flatMap((p) => p.field.wire)
    expect(spellings).to.include.members(['storeID', 'store_id', 'shippingMethod', 'marking_codes', 'door_phone'])
    expect(PLACEMENTS.filter((p) => p.where === 'position')).to.have.length(POSITION_FIELDS.length)
  })

  for (const placement of PLACEMENTS) {
    const { field } = placement
    for (const key of field.wire) {
      it(`reads ${describePlacement(placement, key)} (${field.form}) as ${field.domain}, on every reader`, () => {
        tally.spellings += 1
        for (const [json, expected] of FORM_SAMPLES[field.form].reads) {
          tally.reads += 1
          const raw = bodyWith(placement, key, json)
          const what = `${key}: ${json}`
          // The fast path accepts it itself: it does not leave the body to the codecs.
          expect(fastOrderPayload(payloadOf(raw)), what).not.to.equal(undefined)
          const fast = createdOf(decodeHookBody(raw))
          expect(fast, what).to.deep.equal(createdOf(decodeHookBodyByCodecs(raw)))
          expect(fast.unread, what).to.equal(undefined)
          expect(domainValue(fast, placement), what).to.deep.equal(expected)
          // The reader for review: the same field beside a line it cannot read.
          const review = createdOf(decodeHookBody(bodyWith(placement, key, json, [UNREADABLE_LINE])))
          expect(review.unread, what).to.be.an('array').with.length(1)
          expect(domainValue(review, placement), what).to.deep.equal(expected)
        }
      })

      it(`refuses what ${field.form} refuses in ${describePlacement(placement, key)}, on every reader`, () => {
        for (const json of FORM_SAMPLES[field.form].refuses) {
          tally.refusals += 1
          const raw = bodyWith(placement, key, json)
          const what = `${key}: ${json}`
          expect(fastOrderPayload(payloadOf(raw)), what).to.equal(undefined)
          const strict = decodeHookBodyByCodecs(raw, 'reject')
          expect(E.isLeft(strict) && strict.left.detail, what)
            .to.be.a('string')
            .that.includes(key)
          expect(decodeHookBody(raw, 'reject'), what).to.deep.equal(strict)
          // For review: the order is created, the field is not read, and a reason names its spelling.
          const review = createdOf(decodeHookBody(raw))
          expect(review, what).to.deep.equal(createdOf(decodeHookBodyByCodecs(raw)))
          if (field.required === undefined) expect(domainValue(review, placement), what).to.equal(undefined)
          // The rest is read: the line (when the refused field is not one it needs), and no reason but this field's.
          expect(review.content.positions, what).to.have.length(field.required === undefined ? 1 : 0)
          const named = field.required ?? key
          expect(review.unread, what).to.be.an('array').that.is.not.empty
          // A refused SKU, quantity or price drops the only line, which is a reason of its own.
          const dropped = field.required !== undefined ? 'no position could be read' : undefined
          const others = (review.unread ?? []).filter((r) => r !== dropped)
          for (const reason of others) {
            expect(reason, what).to.include(named).and.not.include('the order could not be read')
          }
        }
      })

      if (field.required === undefined) {
        it(`reads null, "" and a missing ${describePlacement(placement, key)} as not given, on every reader`, () => {
          for (const json of [...ABSENT_SAMPLES, undefined]) {
            const raw = bodyWith(placement, key, json)
            const fast = createdOf(decodeHookBody(raw))
            expect(fast, String(json)).to.deep.equal(createdOf(decodeHookBodyByCodecs(raw)))
            expect(fast.unread).to.equal(undefined)
            expect(domainValue(fast, placement), String(json)).to.equal(undefined)
          }
        })
      }
    }

    if (field.wire.length > 1) {
      it(`takes the first given spelling of ${field.domain} (${field.wire.join(', ')}), on every reader`, () => {
        const [[first], [second]] = distinctReads(field)
        for (let i = 0; i < field.wire.length; i += 1) {
          for (let j = i + 1; j < field.wire.length; j += 1) {
            const alone = `"${field.wire[i]}":${first}`
            const both = bodyWith(placement, field.wire[i]!, first).replace(
              alone,
              `${alone},"${field.wire[j]}":${second}`,
            )
            const emptyFirst = both.replace(`"${field.wire[i]}":${first}`, `"${field.wire[i]}":""`)
            for (const [raw, winner] of [
              [both, first],
              [emptyFirst, second],
            ] as const) {
              const fast = createdOf(decodeHookBody(raw))
              expect(fast).to.deep.equal(createdOf(decodeHookBodyByCodecs(raw)))
              const alone = createdOf(decodeHookBody(bodyWith(placement, field.wire[0], winner)))
              expect(domainValue(fast, placement), raw).to.deep.equal(domainValue(alone, placement))
            }
          }
        }
      })
    }
  }

  it('reads a list of text under each of its spellings, or one text under a single spelling, on every reader', () => {
    for (const entry of ORDER_ENTRIES) {
      if (entry.kind !== 'list') continue
      const raw = (key: string, json: string, lines: readonly unknown[] = []): string =>
        JSON.stringify({
          event_type: 'order.created',
          payload: { originalOrderId: 'H1', [key]: SLOT, positions: [GOOD_LINE, ...lines] },
        }).replace(`"${SLOT}"`, json)
      const cases = [
        ...entry.list.map((key) => [key, '["CashDesk",7]', ['CashDesk', '7'], '"CashDesk"'] as const),
        ...entry.single.map((key) => [key, '"SberGateway"', ['SberGateway'], '["SberGateway"]'] as const),
      ]
      for (const [key, json, expected, refused] of cases) {
        expect(fastOrderPayload(payloadOf(raw(key, json))), key).not.to.equal(undefined)
        for (const decode of [decodeHookBody, decodeHookBodyByCodecs]) {
          expect(createdOf(decode(raw(key, json))).content[entry.domain], key).to.deep.equal(expected)
          const review = createdOf(decode(raw(key, json, [UNREADABLE_LINE])))
          expect(review.content[entry.domain], key).to.deep.equal(expected)
          const refusedOnce = createdOf(decode(raw(key, refused)))
          expect(refusedOnce.content[entry.domain], key).to.deep.equal([])
          expect((refusedOnce.unread ?? []).join(' | '), key).to.include(key)
        }
        expect(fastOrderPayload(payloadOf(raw(key, refused))), key).to.equal(undefined)
      }
    }
  })

  it('reads the code of a marking code under each of its spellings', () => {
    for (const key of MARKING_CODE_VALUE_WIRE) {
      const line = { ...GOOD_LINE, markingCode: [{ [key]: 'CODE1' }] }
      const raw = JSON.stringify({ event_type: 'order.created', payload: { originalOrderId: 'H1', positions: [line] } })
      expect(createdOf(decodeHookBody(raw)).content.positions[0]?.markingCodes, key).to.deep.equal(['CODE1'])
      expect(createdOf(decodeHookBodyByCodecs(raw)).content.positions[0]?.markingCodes, key).to.deep.equal(['CODE1'])
    }
  })

  it('reads the order key in every form of KEY_SAMPLES, under both key fields, and refuses the rest (400)', () => {
    for (const key of [ORIGINAL_ORDER_ID_KEY, ORDER_UUID_KEY]) {
      const raw = (json: string): string => `{"event_type":"order.paid","payload":{"${key}":${json}}}`
      for (const [json, expected] of KEY_SAMPLES.reads) {
        for (const decode of [decodeHookBody, decodeHookBodyByCodecs]) {
          const decoded = decode(raw(json))
          const event = E.isRight(decoded) && decoded.right._tag === 'KnownEvent' ? decoded.right.event : undefined
          expect(event?.originalOrderId, `${key}: ${json}`).to.equal(expected)
        }
      }
      for (const json of KEY_SAMPLES.refuses) {
        for (const decode of [decodeHookBody, decodeHookBodyByCodecs]) {
          const decoded = decode(raw(json))
          expect(E.isLeft(decoded) && decoded.left._tag, `${key}: ${json}`).to.equal('InvalidPayload')
        }
      }
    }
  })

  it('reads the event type under each of its spellings', () => {
    for (const key of EVENT_TYPE_KEYS) {
      const decoded = decodeHookBody(JSON.stringify({ [key]: 'order.paid', payload: { originalOrderId: 'H1' } }))
      expect(E.isRight(decoded) && decoded.right._tag, key).to.equal('KnownEvent')
    }
  })

  it('reads a cancellation reason under each of its spellings, as text and as an object of its fields', () => {
    for (const key of CANCELLATION_REASON.wire) {
      const fields = Object.fromEntries(CANCELLATION_REASON.fields.map((f) => [f.wire[0], `${f.domain} text`]))
      const expected = Object.fromEntries(CANCELLATION_REASON.fields.map((f) => [f.domain, `${f.domain} text`]))
      const forms = [
        [fields, expected],
        ['Нет товара', { description: 'Нет товара' }],
      ] as const
      for (const [reason, cancellation] of forms) {
        const raw = JSON.stringify({ event_type: 'order.cancelled', payload: { originalOrderId: 'H1', [key]: reason } })
        for (const decode of [decodeHookBody, decodeHookBodyByCodecs]) {
          const decoded = decode(raw)
          const event = E.isRight(decoded) && decoded.right._tag === 'KnownEvent' ? decoded.right.event : undefined
          expect(event?._tag === 'StatusReported' ? event.cancellation : undefined, key).to.deep.equal(cancellation)
        }
      }
    }
  })

  it('covers every entry of the order payload: the fields, the groups and the list', () => {
    const entries = ORDER_ENTRIES.map((e) => (e.kind === 'field' ? e.domain : e.kind === 'group' ? e.wire : e.list[0]))
    expect(entries).to.deep.equal([
      'storeId',
      'shipmentMethod',
      'replacementPolicy',
      'comment',
      'customer',
      'address',
      'delivery',
      'paymentMethods',
      'total',
    ])
  })
})

/** Two samples of the field's form that read as two different, given values. */
const distinctReads = (field: FieldSpec): readonly [readonly [string, unknown], readonly [string, unknown]] => {
  const reads = FORM_SAMPLES[field.form].reads.filter(([, value]) => value !== undefined)
  const first = reads[0]
  const second = reads.find(([, value]) => JSON.stringify(value) !== JSON.stringify(first?.[1]))
  if (first === undefined || second === undefined) {
    throw new Error(`FORM_SAMPLES.${field.form} needs two different readings`)
  }
  return [first, second]
}
