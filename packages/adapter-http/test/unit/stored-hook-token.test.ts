import { expect } from 'chai'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadOrCreateHookToken } from '@domino-sm/adapter-http'

describe('loadOrCreateHookToken', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hook-token-'))
  })
  afterEach(() => rm(dir, { recursive: true, force: true }))

  it('creates the data folder and a 0600 token file on first use', async () => {
    const stored = await loadOrCreateHookToken(join(dir, 'nested', 'data'))
    expect(stored.generated).to.equal(true)
    expect((await readFile(stored.path, 'utf8')).trim()).to.equal(stored.token)
    expect((await stat(stored.path)).mode & 0o777).to.equal(0o600)
  })

  it('gives every one of several instances starting at once the same token', async () => {
    const all = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateHookToken(dir)))
    expect(new Set(all.map((s) => s.token)).size).to.equal(1)
    expect(all.filter((s) => s.generated)).to.have.length(1)
  })
})
