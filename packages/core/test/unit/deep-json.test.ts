import { expect } from 'chai'
import fc from 'fast-check'
import { eraseFromBody, holdsPersonalData } from '@domino-sm/core'
import { nestedDeeperThan } from '@domino-sm/core/internals'
import { omitMembersFromText, stringifyDeep, stringifyJson } from '../../dist/json/deep-json.js'

/** JSON of any depth (`deep-json.ts`) and the erasure that walks it (docs/contract.md §4: nothing personal left behind). */
describe('JSON of any depth', () => {
  it('stringifyDeep writes what JSON.stringify writes', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => stringifyDeep(value) === JSON.stringify(value)),
      { numRuns: 2000 },
    )
  })

  it('stringifyDeep leaves out the members omit names, at every depth, as a replacer would', () => {
    const omit = (key: string): boolean => key === 'customer'
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), fc.jsonValue({ maxDepth: 2 }), (value, personal) => {
        const tree = { customer: personal, inner: [value, { customer: personal, x: value }] }
        return (
          stringifyDeep(tree, omit) === JSON.stringify(tree, (key, v: unknown) => (key === 'customer' ? undefined : v))
        )
      }),
      { numRuns: 500 },
    )
  })

  it('writes 500,000 levels, where JSON.stringify throws', () => {
    const levels = 500_000
    const text = `${'{"a":['.repeat(levels)}{"customer":1}${']}'.repeat(levels)}`
    const parsed: unknown = JSON.parse(text)
    expect(() => JSON.stringify(parsed)).to.throw(RangeError)
    expect(stringifyJson(parsed)).to.equal(text)
  })

  it('nestedDeeperThan counts arrays and objects, not brackets in strings', () => {
    expect(nestedDeeperThan(`${'['.repeat(600)}${']'.repeat(600)}`, 600)).to.equal(false)
    expect(nestedDeeperThan(`${'['.repeat(601)}${']'.repeat(601)}`, 600)).to.equal(true)
    expect(nestedDeeperThan(JSON.stringify({ s: '[{'.repeat(2000), t: 'a\\"[[[' }), 10)).to.equal(false)
    expect(nestedDeeperThan(JSON.stringify(['\\', [[[[]]]]]), 4)).to.equal(true)
  })
})

describe('erasure of bodies of any depth', () => {
  for (const levels of [6_000, 100_000, 500_000]) {
    it(`erases the customer from a body nested ${levels} levels, and keeps the rest exactly`, () => {
      const body =
        `{"event_type":"order.created","payload":{"originalOrderId":90071992547409931,"customer":{"name":"Фёдор","phone":"+79990000000"},` +
        `"extra":${'['.repeat(levels)}{"address":{"city":"Москва"},"price":1.50}${']'.repeat(levels)}}}`
      expect(holdsPersonalData(body)).to.equal(true)
      const erased = eraseFromBody(body)
      expect(erased).to.be.a('string')
      expect(erased).to.not.contain('Фёдор').and.not.contain('+7999').and.not.contain('Москва')
      expect(holdsPersonalData(erased ?? '')).to.equal(false)
      expect(erased).to.equal(
        `{"event_type":"order.created","payload":{"originalOrderId":90071992547409931,"extra":${'['.repeat(levels)}{"price":1.50}${']'.repeat(levels)}}}`,
      )
    })
  }
})

describe('omitMembersFromText', () => {
  const omit = (key: string): boolean => key === 'customer' || key === 'address'
  it('gives what a replacer gives, for any JSON, written with or without blanks', () => {
    const personal = fc.jsonValue({ maxDepth: 2 })
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.jsonValue({ maxDepth: 1 }),
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(fc.constantFrom('customer', 'address', 'a', 'b', 'c\\"', ''), fc.oneof(tie('node'), personal), {
          maxKeys: 5,
        }),
      ),
    })).node
    fc.assert(
      fc.property(tree, fc.boolean(), (value, pretty) => {
        const text = JSON.stringify(value, null, pretty ? 2 : undefined)
        return (
          omitMembersFromText(text, omit) === JSON.stringify(value, (key, v: unknown) => (omit(key) ? undefined : v))
        )
      }),
      { numRuns: 3000 },
    )
  })

  it('keeps numbers and escapes as written', () => {
    expect(
      omitMembersFromText(
        '{ "customer" : {"a":[1,{"b":"}"}]} , "k" : 90071992547409931 , "p":1.50,"s":"\\u0041\\/"}',
        omit,
      ),
    ).to.equal('{"k":90071992547409931,"p":1.50,"s":"\\u0041\\/"}')
    expect(omitMembersFromText('{"customer":1,"address":2,"x":3,"customer":4}', omit)).to.equal('{"x":3}')
    expect(omitMembersFromText('{"x":{"customer":1},"address":2}', omit)).to.equal('{"x":{}}')
  })
})
