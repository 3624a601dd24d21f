import { readFileSync } from 'node:fs'

/** What build of the service this is: its version, the commit it was built from, the Node ABI it was built for. */
export interface BuildInfo {
  readonly version: string
  /** The git commit (with `-dirty` when the tree had uncommitted changes), or `unknown` outside a git checkout. */
  readonly commit: string
}

const UNKNOWN: BuildInfo = { version: '0.0.0-unknown', commit: 'unknown' }

const isBuildInfo = (u: unknown): u is BuildInfo =>
  typeof u === 'object' &&
  u !== null &&
  typeof (u as Record<string, unknown>)['version'] === 'string' &&
  typeof (u as Record<string, unknown>)['commit'] === 'string'

let cached: BuildInfo | undefined

/**
 * The build's identity, read once from `dist/build-info.json` beside the compiled code. `npm run build` writes that
 * file (`scripts/write-build-info.mjs`: the package's version and `git rev-parse HEAD`), and a release carries it, so an
 * installed service can say what it runs without git. A missing or unreadable file reads as unknown, never a crash.
 */
export const readBuildInfo = (): BuildInfo => {
  if (cached !== undefined) return cached
  try {
    const parsed: unknown = JSON.parse(readFileSync(new URL('../build-info.json', import.meta.url), 'utf8'))
    cached = isBuildInfo(parsed) ? { version: parsed.version, commit: parsed.commit } : UNKNOWN
  } catch {
    cached = UNKNOWN
  }
  return cached
}
