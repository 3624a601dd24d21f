import { readFileSync } from 'node:fs'
import { expect } from 'chai'
import { readBuildInfo } from '@domino-sm/adapter-http'

describe('readBuildInfo', () => {
  it('reports the version of the package and the commit the build wrote beside the compiled code', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
    const info = readBuildInfo()
    expect(info.version).to.equal(pkg.version)
    // A build in a git checkout names a commit: 40 hex digits, `-dirty` when the tree had uncommitted changes.
    expect(info.commit).to.match(/^([0-9a-f]{40}(-dirty)?|unknown)$/)
  })
})
