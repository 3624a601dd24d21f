import { expect } from 'chai'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

// Production code imports the main entry (for the in-memory store): nothing it reaches may need mocha or chai.
const SPECIFIER = /(?:import|export)\s[^'"]*?from\s+'([^']+)'|import\s*\(\s*'([^']+)'\s*\)|import\s+'([^']+)'/g

const reachable = (entry: URL): { readonly files: string[]; readonly packages: Set<string> } => {
  const files: string[] = []
  const packages = new Set<string>()
  const queue = [entry]
  while (queue.length > 0) {
    const file = queue.shift()!
    if (files.includes(file.href)) continue
    files.push(file.href)
    for (const match of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
      const specifier = match[1] ?? match[2] ?? match[3] ?? ''
      if (specifier.startsWith('.')) queue.push(new URL(specifier, file))
      else packages.add(specifier)
    }
  }
  return { files, packages }
}

describe('@domino-sm/testkit main entry', () => {
  const { files, packages } = reachable(new URL(import.meta.resolve('@domino-sm/testkit')))

  it('reaches no test framework', () => {
    expect(files.length).to.be.greaterThan(5)
    expect([...packages].filter((name) => /^(chai|mocha)(\/|$)/.test(name))).to.deep.equal([])
    expect(files.filter((file) => file.includes('/contract/'))).to.deep.equal([])
  })

  it('uses no mocha globals', () => {
    for (const file of files) {
      expect(readFileSync(fileURLToPath(file), 'utf8'), file).to.not.match(/\b(describe|it|before|after)\(/)
    }
  })

  it('loads in a process without mocha', async () => {
    const { execFileSync } = await import('node:child_process')
    const out = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const t = await import('@domino-sm/testkit'); console.log(typeof t.InMemoryOrderRepository)",
      ],
      {
        cwd: fileURLToPath(new URL('.', import.meta.url)),
        encoding: 'utf8',
      },
    )
    expect(out.trim()).to.equal('function')
  })
})
