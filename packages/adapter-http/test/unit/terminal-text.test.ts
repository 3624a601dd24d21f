import { expect } from 'chai'
import { terminalSafe } from '@domino-sm/adapter-http'

describe('terminalSafe: text from requests on a support terminal', () => {
  it('escapes C0 controls, DEL and C1 controls, so a newline cannot forge a line and ANSI cannot act', () => {
    expect(terminalSafe('order.created\n#9999  2026-05-24T00:00:00.000Z  H1  order.created  created  200')).to.equal(
      'order.created\\x0a#9999  2026-05-24T00:00:00.000Z  H1  order.created  created  200',
    )
    expect(terminalSafe('\u001b[2J\u001b[H\r\t\u0000\u007f\u0085\u009b')).to.equal(
      '\\x1b[2J\\x1b[H\\x0d\\x09\\x00\\x7f\\x85\\x9b',
    )
  })

  it('escapes bidi overrides, isolates and marks, the line and paragraph separators and lone surrogates', () => {
    expect(terminalSafe('H1\u202eabc\u202c \u2066x\u2069 \u200e\u200f\u061c \u2028\u2029')).to.equal(
      'H1\\u202eabc\\u202c \\u2066x\\u2069 \\u200e\\u200f\\u061c \\u2028\\u2029',
    )
    expect(terminalSafe('a\ud800b\udc00c')).to.equal('a\\ud800b\\udc00c')
  })

  it('escapes the backslash, so an escape it prints cannot be mistaken for text that looks like one', () => {
    expect(terminalSafe('a\\x0ab')).to.equal('a\\\\x0ab')
  })

  it('leaves everything else as it is: Cyrillic, emoji (a valid surrogate pair), punctuation', () => {
    const text = 'Заказ H-123/45 «цена сверена» 😀 (a+b=c; x:y)'
    expect(terminalSafe(text)).to.equal(text)
  })
})
