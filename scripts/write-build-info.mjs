// Writes packages/adapter-http/dist/build-info.json after `tsc -b`: the service's version (its package.json) and the
// commit it was built from, which `domino-sbermarket-hook --version` and the build_info metric report
// (packages/adapter-http/src/build-info/build-info.ts). Outside a git checkout the commit is `unknown`.
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'

const root = new URL('../', import.meta.url)
const pkg = JSON.parse(readFileSync(new URL('packages/adapter-http/package.json', root), 'utf8'))
const git = (...args) =>
  execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
let commit = 'unknown'
try {
  commit = git('rev-parse', 'HEAD')
  if (git('status', '--porcelain', '--untracked-files=no') !== '') commit += '-dirty'
} catch {
  // not a git checkout (an unpacked source archive): the commit stays unknown
}
const info = { version: pkg.version, commit }
writeFileSync(new URL('packages/adapter-http/dist/build-info.json', root), `${JSON.stringify(info)}\n`)
