import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import { parseAdoConnectionString, parseServerAddress, splitConnectionString } from '@domino-sm/adapter-domino-db/internals'

const pairs = (text: string): Record<string, string> => {
  const split = splitConnectionString(text)
  if (E.isLeft(split)) throw new Error(split.left)
  return Object.fromEntries(split.right)
}

describe('connection string parsing', () => {
  it('lower-cases keys, trims blanks and skips empty pairs', () => {
    expect(pairs(' Server = h ;; DATABASE=Domino ; ')).to.deep.equal({ server: 'h', database: 'Domino' })
  })

  it('reads double-quoted, single-quoted and braced values with their escapes', () => {
    expect(pairs(`a="x;""y"; b='it''s;'; c={p}}w;d}; e==f=1`)).to.deep.equal({ a: 'x;"y', b: "it's;", c: 'p}w;d', 'e=f': '1' })
  })

  it('reports an unclosed quote and a key without a value', () => {
    expect(E.isLeft(splitConnectionString('Password="abc'))).to.equal(true)
    expect(E.isLeft(splitConnectionString('Server=h;Trusted'))).to.equal(true)
  })

  it('parses host, port, instance and the tcp: prefix; refuses named pipes', () => {
    expect(parseServerAddress('tcp:db,1433', 'x')).to.deep.equal(E.right({ host: 'db', port: 1433 }))
    expect(parseServerAddress('db\\INST', 'x')).to.deep.equal(E.right({ host: 'db', instanceName: 'INST' }))
    expect(parseServerAddress('(local)', 'x')).to.deep.equal(E.right({ host: 'localhost' }))
    expect(E.isLeft(parseServerAddress('np:\\\\db\\pipe\\sql\\query', 'x'))).to.equal(true)
    expect(E.isLeft(parseServerAddress('db,99999', 'x'))).to.equal(true)
  })

  it('refuses Windows authentication and unknown keys, but ignores harmless ones', () => {
    const refused = parseAdoConnectionString('Server=h;Integrated Security=SSPI;Colour=blue')
    expect(E.isLeft(refused) && refused.left.join()).to.match(/Windows authentication/).and.match(/colour/)
    const accepted = parseAdoConnectionString('Server=h;Integrated Security=false;Persist Security Info=False;MultipleActiveResultSets=False;Connect Timeout=7')
    expect(accepted).to.deep.equal(E.right({ server: 'h', connectTimeoutMs: 7000 }))
  })

  it('refuses Encrypt=Strict with a clear message', () => {
    const refused = parseAdoConnectionString('Server=h;Encrypt=Strict')
    expect(E.isLeft(refused) && refused.left.join()).to.contain('Strict')
  })
})
