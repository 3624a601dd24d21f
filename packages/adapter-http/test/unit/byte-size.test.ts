import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import { parseByteSize } from '@domino-sm/adapter-http'

describe('parseByteSize', () => {
  it('reads bytes and binary units', () => {
    expect(parseByteSize('1048576')).to.deep.equal(E.right(1048576))
    expect(parseByteSize('1mb')).to.deep.equal(E.right(1048576))
    expect(parseByteSize('64 KiB')).to.deep.equal(E.right(65536))
  })
  it('refuses zero, fractions and unknown units', () => {
    for (const text of ['0', '1.5mb', '2gb', '', 'mb']) expect(E.isLeft(parseByteSize(text)), text).to.equal(true)
  })
})
