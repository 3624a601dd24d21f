import { inspect } from 'node:util'
import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import {
  Flag,
  Money,
  NonBlankText,
  OriginalOrderIdCodec,
  QuantityCodec,
  Text,
  optional,
} from '../../dist/wire/primitive.codec.js'

describe('primitive codecs', () => {
  it('Text takes strings and finite numbers as text', () => {
    expect(Text.decode('abc')).to.deep.equal(E.right('abc'))
    expect(Text.decode(12.5)).to.deep.equal(E.right('12.5'))
    for (const bad of [Number.NaN, true, null, {}, []]) expect(E.isLeft(Text.decode(bad)), inspect(bad)).to.equal(true)
  })

  it('NonBlankText trims and refuses blank text', () => {
    expect(NonBlankText.decode('  a b ')).to.deep.equal(E.right('a b'))
    expect(E.isLeft(NonBlankText.decode(' \t'))).to.equal(true)
  })

  it('OriginalOrderIdCodec bounds the key at 64 characters after trimming', () => {
    expect(OriginalOrderIdCodec.decode(` ${'H'.repeat(64)} `)).to.deep.equal(E.right('H'.repeat(64)))
    expect(E.isLeft(OriginalOrderIdCodec.decode('H'.repeat(65)))).to.equal(true)
  })

  it('Money and QuantityCodec decode exactly, refuse negatives, and encode back to text', () => {
    expect(Money.decode('129.90')).to.deep.equal(E.right(12990))
    expect(E.isLeft(Money.decode('-0.01'))).to.equal(true)
    expect(QuantityCodec.decode(0.455)).to.deep.equal(E.right(455))
    expect(E.isLeft(QuantityCodec.decode('-1'))).to.equal(true)
    expect(Money.encode(12990 as never)).to.equal('129.9')
    expect(QuantityCodec.encode(455 as never)).to.equal('0.455')
  })

  it('Flag reads the usual spellings of booleans', () => {
    for (const yes of [true, 'true', 1, '1']) expect(Flag.decode(yes), String(yes)).to.deep.equal(E.right(true))
    for (const no of [false, 'false', 0, '0']) expect(Flag.decode(no), String(no)).to.deep.equal(E.right(false))
    for (const bad of ['yes', 2, null]) expect(E.isLeft(Flag.decode(bad)), String(bad)).to.equal(true)
  })

  it('optional accepts the value, and reads null, undefined and "" as absent', () => {
    const codec = optional(Money)
    expect(codec.decode(null)).to.deep.equal(E.right(undefined))
    expect(codec.decode('')).to.deep.equal(E.right(undefined))
    expect(codec.decode(undefined)).to.deep.equal(E.right(undefined))
    expect(codec.decode('1')).to.deep.equal(E.right(100))
    expect(E.isLeft(codec.decode('x'))).to.equal(true)
  })
})
