import { readFileSync } from 'node:fs'
import { expect } from 'chai'
import { parseAppConfig } from '@domino-sm/adapter-http'

/** The README's configuration table: every `NAME` in its first column. */
const documentedNames = (): Set<string> => {
  const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8')
  const section = /\n## Configuration\n([\s\S]*?)\n## /.exec(readme)?.[1]
  if (section === undefined) throw new Error('README has no "## Configuration" section')
  const rows = section.split('\n').filter((line) => /^\| `/.test(line))
  return new Set(
    rows.flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1] ?? '')),
  )
}

/**
 * Every name the parser reads, recorded as it reads them: the environment is a proxy that notes each name asked
 * for. The parser is run in the cases that reach every branch (each store, the Domino settings asked for by a
 * command, the optional features on), so a name read only in one of them is seen too.
 */
const namesRead = (): Set<string> => {
  const read = new Set<string>()
  const recording = (values: Record<string, string>): Record<string, string | undefined> =>
    new Proxy(values, {
      get: (target, name) => {
        if (typeof name === 'string') read.add(name)
        return target[name as string]
      },
      ownKeys: (target) => Reflect.ownKeys(target),
      getOwnPropertyDescriptor: (target, name) => Reflect.getOwnPropertyDescriptor(target, name),
    })
  const cases: Record<string, string>[] = [
    {},
    { STORE: 'memory' },
    { STORE: 'domino-db', DOMINO_DB_URL: 'Server=h;Database=d;User Id=u;Password=p' },
    {
      STORE: 'domino-db',
      DOMINO_DB_SERVER: 'h',
      DOMINO_DB_DATABASE: 'd',
      DOMINO_DB_USER: 'u',
      DOMINO_DB_PASSWORD: 'p',
    },
    {
      EXPECTED_ASSEMBLY_MINUTES: '30',
      RETENTION_PERSONAL_DATA_DAYS: '365',
      CREDENTIALS_DIRECTORY: '/nonexistent-credentials',
    },
  ]
  for (const values of cases) {
    parseAppConfig(recording(values), { readFile: () => 'x' })
    parseAppConfig(recording(values), { readFile: () => 'x', requireDominoDb: true })
  }
  return read
}

describe('the README documents exactly the settings the configuration reads', () => {
  const documented = documentedNames()
  const read = namesRead()

  it('finds the table and the parser reading (a check that is not empty)', () => {
    expect(documented.size).to.be.greaterThan(30)
    expect(read.size).to.be.greaterThan(30)
  })

  it('every name the parser reads is in the README table', () => {
    expect([...read].filter((name) => !documented.has(name)).sort()).to.deep.equal([])
  })

  it('every name in the README table is read by the parser', () => {
    expect([...documented].filter((name) => !read.has(name)).sort()).to.deep.equal([])
  })
})
