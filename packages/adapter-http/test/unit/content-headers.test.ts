import { expect } from 'chai'
import { checkContentEncoding, checkContentType } from '../../dist/http/content-headers.js'

describe('content headers the hook accepts', () => {
  it('accepts JSON media types with no charset or a UTF-8 one, in any case and quoting', () => {
    for (const header of [
      'application/json',
      'APPLICATION/JSON',
      'application/json; charset=utf-8',
      'application/json;charset="UTF8"',
      'application/problem+json',
      'application/json; foo=bar; charset=Utf-8',
    ]) {
      expect(checkContentType(header), header).to.deep.equal({ _tag: 'Accepted', value: 'json' })
    }
  })

  it('refuses other media types, a missing one, and every charset but UTF-8, saying which', () => {
    expect(checkContentType('')).to.deep.equal({
      _tag: 'Refused',
      detail: 'Content-Type is missing; expected application/json',
    })
    expect(checkContentType('text/plain; charset=utf-8')).to.deep.equal({
      _tag: 'Refused',
      detail: 'Content-Type must be application/json',
    })
    expect(checkContentType('application/json; charset=latin1')).to.deep.equal({
      _tag: 'Refused',
      detail: 'charset "latin1" is not supported: the body must be UTF-8 (charset=utf-8, or no charset)',
    })
    const unprintable = checkContentType('application/json; charset=\u00ff\u00fe')
    expect(unprintable._tag === 'Refused' && unprintable.detail).to.match(/^charset \(unprintable\) is not supported/)
  })

  it('accepts identity, gzip (and x-gzip), deflate and br, one at a time, in any case', () => {
    const cases: [string | undefined, string][] = [
      [undefined, 'identity'],
      ['', 'identity'],
      ['identity', 'identity'],
      ['GZIP', 'gzip'],
      ['x-gzip', 'gzip'],
      ['deflate', 'deflate'],
      [' br ', 'br'],
      ['identity, gzip', 'gzip'],
    ]
    for (const [header, coding] of cases)
      expect(checkContentEncoding(header), String(header)).to.deep.equal({ _tag: 'Accepted', value: coding })
  })

  it('refuses other codings, stacked codings and names of object properties', () => {
    for (const header of ['compress', 'zstd', 'gzip, br', 'gzip, gzip', 'constructor', '__proto__', 'toString']) {
      const verdict = checkContentEncoding(header)
      expect(verdict._tag, header).to.equal('Refused')
      expect(verdict._tag === 'Refused' && verdict.detail).to.include(
        'is not supported: send the body uncompressed, or compressed once with gzip, deflate or br',
      )
    }
  })
})
