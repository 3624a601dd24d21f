/**
 * The package architecture as rules (README, "Architecture": core imports only fp-ts and io-ts; adapters import core, never each other). `npm test` runs it before mocha.
 * Imports are resolved through the workspace links, so `@domino-sm/core` shows up as `packages/core/...`.
 */
const STORE_ADAPTERS = '^packages/adapter-(sqlite|domino-db)/'

module.exports = {
  forbidden: [
    {
      name: 'core-is-pure',
      comment: 'core imports only fp-ts and io-ts: no framework, no driver, no node built-ins.',
      severity: 'error',
      from: { path: '^packages/core/src/' },
      to: { pathNot: ['^packages/core/src/', '^node_modules/(fp-ts|io-ts)/'] },
    },
    {
      name: 'core-has-no-io',
      comment: 'core uses no node built-in module: no file, network, process or clock access of its own.',
      severity: 'error',
      from: { path: '^packages/core/src/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'testkit-knows-no-adapter',
      comment: 'testkit serves every adapter, so it may not depend on one.',
      severity: 'error',
      from: { path: '^packages/testkit/src/' },
      to: { path: '^packages/adapter-' },
    },
    {
      name: 'store-adapters-stand-alone',
      comment: 'a store adapter imports core (and testkit in its tests), never the HTTP edge or another store.',
      severity: 'error',
      from: { path: '^packages/adapter-(sqlite|domino-db)/' },
      to: { path: '^packages/adapter-', pathNot: '^packages/adapter-$1/' },
    },
    {
      name: 'http-reaches-stores-only-from-its-root',
      comment: 'adapter-http knows concrete stores (the in-memory one included) only in its composition root.',
      severity: 'error',
      from: { path: '^packages/adapter-http/src/', pathNot: '^packages/adapter-http/src/composition-root/' },
      to: { path: [STORE_ADAPTERS, '^packages/store-memory/'] },
    },
    {
      name: 'no-test-kit-in-production',
      comment:
        'the source of core, the stores and the edge ships to production installs, the test kit does not: only tests import it (STORE=memory uses store-memory).',
      severity: 'error',
      from: { path: '^packages/[^/]+/src/', pathNot: '^packages/testkit/src/' },
      to: { path: '^packages/testkit/' },
    },
    {
      name: 'memory-store-stands-alone',
      comment:
        'store-memory ships to production installs: it imports core (and fp-ts), never the test kit or another adapter.',
      severity: 'error',
      from: { path: '^packages/store-memory/src/' },
      to: { path: ['^packages/testkit/', '^packages/adapter-'] },
    },
    {
      name: 'journal-knows-no-use-case',
      comment:
        "core's journal (its entries, facts and the commit-time rule) is below the use cases: they use it, never the reverse.",
      severity: 'error',
      from: { path: '^packages/core/src/journal/' },
      to: { path: '^packages/core/src/use-cases/' },
    },
    {
      name: 'sqlite-main-thread-stays-out-of-the-worker',
      comment:
        "the SQLite store's main thread talks to its worker only through messages (src/shared/store-protocol.ts); it starts the worker by file URL and imports none of its code.",
      severity: 'error',
      from: { path: '^packages/adapter-sqlite/src/(main-thread|shared)/' },
      to: { path: '^packages/adapter-sqlite/src/worker/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { path: '^packages/[^/]+/src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },

    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'node', 'default'],
      extensions: ['.ts', '.js'],
    },
  },
}
