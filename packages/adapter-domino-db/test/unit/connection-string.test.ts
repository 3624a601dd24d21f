import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import {
  parseAdoConnectionString,
  parseServerAddress,
  splitConnectionString,
} from '@domino-sm/adapter-domino-db/internals'

const pairs = (text: string): Record<string, string> => {
  const split = splitConnectionString(text)
  if (E.isLeft(split)) throw new Error(split.left)
  return Object.fromEntries(split.right)
}

describe('connection string parsing', () => {
  it('lower-cases keys and trims blanks around unquoted values', () => {
    expect(pairs(' Server = h ; DATABASE=Domino ; ')).to.deep.equal({ server: 'h', database: 'Domino' })
  })

  it('skips an empty pair (;;), as SqlClient does (the parser of the tedious project, which mssql uses)', () => {
    expect(pairs('Server=h;;Database=d')).to.deep.equal({ server: 'h', database: 'd' })
  })

  it('reads double-quoted, single-quoted and braced values with their escapes', () => {
    expect(pairs(`a="x;""y"; b='it''s;'; c={p}}w;d}; e==f=1`)).to.deep.equal({
      a: 'x;"y',
      b: "it's;",
      c: 'p}w;d',
      'e=f': '1',
    })
  })

  it('reports an unclosed quote or brace, and text after a closing quote, without quoting the text', () => {
    for (const text of ['Password="abc', 'Password={abc', 'Password="abc"def']) {
      const split = splitConnectionString(text)
      expect(E.isLeft(split) && split.left, text)
        .to.be.a('string')
        .and.not.contain('abc')
    }
  })

  it('parses host, port, instance and the tcp: prefix; refuses named pipes', () => {
    expect(parseServerAddress('tcp:db,1433', 'x')).to.deep.equal(E.right({ host: 'db', port: 1433 }))
    expect(parseServerAddress('db\\INST', 'x')).to.deep.equal(E.right({ host: 'db', instanceName: 'INST' }))
    expect(parseServerAddress('(local)', 'x')).to.deep.equal(E.right({ host: 'localhost' }))
    expect(E.isLeft(parseServerAddress('np:\\\\db\\pipe\\sql\\query', 'x'))).to.equal(true)
    expect(E.isLeft(parseServerAddress('db,99999', 'x'))).to.equal(true)
  })

  it('refuses Windows authentication and unknown keys (without naming them), but ignores harmless ones', () => {
    const refused = parseAdoConnectionString('Server=h;Integrated Security=SSPI;Colour=blue')
    expect(E.isLeft(refused) && refused.left.join())
      .to.match(/Windows authentication/)
      .and.match(/1 part\(s\) are not settings/)
      .and.not.match(/colour/i)
    const accepted = parseAdoConnectionString(
      'Server=h;Integrated Security=false;Persist Security Info=False;MultipleActiveResultSets=False;Connect Timeout=7',
    )
    expect(accepted).to.deep.equal(E.right({ server: 'h', connectTimeoutMs: 7000 }))
  })

  it('refuses Encrypt=Strict with a clear message', () => {
    const refused = parseAdoConnectionString('Server=h;Encrypt=Strict')
    expect(E.isLeft(refused) && refused.left.join()).to.contain('Strict')
  })

  describe('a password holding ; = quotes and braces', () => {
    const secret = `p;w=d"x'y{z}}q`

    it('is read whole when braced or quoted, as SqlClient reads it', () => {
      const braced = parseAdoConnectionString(`Server=h;Password={${secret.replace(/}/g, '}}')}};User Id=u`)
      expect(braced).to.deep.equal(E.right({ server: 'h', password: secret, user: 'u' }))
      const quoted = parseAdoConnectionString(`Server=h;Password="${secret.replace(/"/g, '""')}";User Id=u`)
      expect(quoted).to.deep.equal(E.right({ server: 'h', password: secret, user: 'u' }))
    })

    it('never reaches a message when written unquoted, whatever the parser then makes of it', () => {
      const fragments = ['p;w', 'w=d', 'd"x', "x'y", 'y{z', 'z}}q', 'q']
      for (const text of [
        `Server=h;Password=${secret};User Id=u`,
        `Password=${secret}`,
        `Server=h;User Id=u;Password=${secret};Encrypt=maybe`,
        `Server=h;Password=${secret.replace(';', ';Colour=')}`,
      ]) {
        const parsed = parseAdoConnectionString(text)
        const messages = E.isLeft(parsed) ? parsed.left.join('\n') : ''
        for (const fragment of fragments.filter((f) => f.length > 1)) expect(messages, text).to.not.contain(fragment)
        expect(messages, text).to.not.match(/\bw\b|\bd\b/)
      }
    })

    it('an unquoted ; in the password is refused, with how to quote it', () => {
      const parsed = parseAdoConnectionString('Server=h;User Id=u;Password=abc;def=ghi')
      expect(E.isLeft(parsed) && parsed.left.join())
        .to.contain('{braces}')
        .and.not.contain('def')
        .and.not.contain('ghi')
    })
  })
})
