/**
 * Which phase of a request each sample of a V8 CPU profile (`--cpu-prof`) belongs to, by its stack. Pure: the tool
 * that reads files and prints the table is profile-phases.ts.
 *
 * The rule, for each sample, in this order:
 * 1. the V8 pseudo-frames: `(garbage collector)` is `gc`, `(idle)` is `idle` (sampled, not CPU), `(program)` is
 *    `other` (V8's own work, no JavaScript frame to blame);
 * 1b. `socket write` when the sampled frame is one of Node's native socket writes (`SOCKET_WRITES`) under its stream
 *    machinery, whoever asked (the HTTP answer, tedious's packets). V8 samples wall time, and a write to a loopback
 *    socket wakes its reader (the T-SQL engine's session, autocannon): on 2 busy cores the writer is preempted inside
 *    the call and the sample lands there. Measured on the SQL Server status scenario (2026-12-07): these frames held
 *    half of the thread's samples while /proc counted the process's system time at 9 % of its CPU (86 of 942 ticks),
 *    and the other samples added up to the CPU /proc measured (1,265 sampled against 1,251 us per request). So this
 *    phase is mostly waiting for a core, not work, and `phase-table.ts` keeps it out of the CPU shares;
 * 2. `start-up` when any frame of the stack is Node's module loader (`node:internal/modules/`): loading the hook is
 *    paid once, not per request, whatever the module's top-level code calls;
 * 3. otherwise the INNERMOST frame whose script belongs to a package rule (the project's packages, the libraries in
 *    node_modules) names the phase: the code that asked for the work, not the generic code that did it. `JSON.parse`
 *    and other built-ins have no script, so the caller decides (core/wire: `decode`; tedious: `driver`); fp-ts and
 *    iconv-lite serve several layers (iconv-lite: raw-body and tedious) and decide nothing;
 * 4. when no package frame matches, the innermost frame of Node's own HTTP, socket and stream modules is `receive`;
 * 5. anything else is `other`.
 */

/** The parts of a `.cpuprofile` this reads (Chrome DevTools protocol `Profiler.Profile`). */
export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number
    readonly callFrame: { readonly functionName: string; readonly url: string }
    readonly children?: readonly number[]
  }[]
  readonly samples: readonly number[]
  /** Microseconds since the previous sample (the first: since `startTime`). */
  readonly timeDeltas: readonly number[]
}

export const PHASES = [
  'receive',
  'auth',
  'decode',
  'use case',
  'store',
  'driver',
  'log',
  'metrics',
  'gc',
  'socket write',
  'start-up',
  'other',
  'idle',
] as const
export type Phase = (typeof PHASES)[number]

/** A script of one of these packages in a node_modules folder (names separated by spaces). */
const libraries = (names: string): RegExp =>
  new RegExp(
    `/node_modules/(${names
      .split(' ')
      .map((n) => n.replace(/[/.]/g, '\\$&'))
      .join('|')})/`,
  )

/** Package rules: a script URL that matches `pattern` belongs to `phase` (first rule that matches wins). */
const PACKAGE_RULES: readonly { readonly phase: Phase; readonly pattern: RegExp }[] = [
  // The request log and its writers; the metrics registry and the hook's own metrics and gauges.
  {
    phase: 'log',
    pattern: libraries(
      'pino pino-std-serializers sonic-boom thread-stream fast-redact quick-format-unescaped atomic-sleep',
    ),
  },
  { phase: 'log', pattern: /\/adapter-http\/dist\/observability\/(logger|request-line|tick-batched-stream)\.js/ },
  { phase: 'log', pattern: /\/adapter-http\/dist\/http\/request-log\.js/ },
  { phase: 'metrics', pattern: libraries('prom-client tdigest bintrees') },
  { phase: 'metrics', pattern: /\/adapter-http\/dist\/observability\/(metrics|store-gauges)\.js/ },
  // The Client-Token check and the guards before the body is read (content type, size).
  { phase: 'auth', pattern: /\/adapter-http\/dist\/(auth\/|http\/hook-request-guards\.js)/ },
  // The body's codecs and JSON readers.
  { phase: 'decode', pattern: /\/core\/dist\/(wire|json)\// },
  { phase: 'decode', pattern: libraries('io-ts') },
  { phase: 'use case', pattern: /\/core\/dist\// },
  { phase: 'store', pattern: /\/(adapter-sqlite|adapter-domino-db|store-memory)\/dist\// },
  {
    phase: 'driver',
    pattern: libraries(
      'mssql tedious tarn better-sqlite3 bindings @js-joda @azure @tediousjs jsbi bl native-duplexpair sprintf-js js-md4',
    ),
  },
  // The HTTP edge: Koa and its body reader, and the hook's own HTTP glue (reading the body, the answer, the deadline).
  {
    phase: 'receive',
    pattern: libraries(
      'koa koa-compose koa-bodyparser @koa/router co-body raw-body inflation bytes type-is mime-types media-typer ' +
        'content-type on-finished ee-first delegates http-errors statuses accepts negotiator cookies keygrip depd vary ' +
        'destroy encodeurl escape-html fresh path-to-regexp koa-convert http-assert deep-equal only parseurl',
    ),
  },

  { phase: 'receive', pattern: /\/adapter-http\/dist\/(http|server)\// },
]

/** Node's own modules that are the request's way in and out. */
const NODE_RECEIVE =
  /^node:(_http_\w+|http|https|net|stream|internal\/streams\/|internal\/http|internal\/stream_base_commons|internal\/js_stream_socket)/

const MODULE_LOADER = /^node:internal\/modules\//

/** Node's native calls that write a socket (`StreamBase`'s `write*` bindings): no script of their own. */
const SOCKET_WRITES = new Set([
  'writeBuffer',
  'writev',
  'writeLatin1String',
  'writeUtf8String',
  'writeAsciiString',
  'writeUcs2String',
])

/** The module of Node that calls those bindings for every stream socket (net's `Socket`, so HTTP's and tedious's). */
const STREAM_BASE = 'node:internal/stream_base_commons'

/** The phase of a package frame's script, or `undefined`: fp-ts and everything unlisted decide nothing. */
const packagePhase = (url: string): Phase | undefined => PACKAGE_RULES.find((r) => r.pattern.test(url))?.phase

/** The phase of one sample, from its stack: `stack[0]` the innermost frame (the sampled one), the last the root. */
export const phaseOfStack = (stack: readonly { readonly functionName: string; readonly url: string }[]): Phase => {
  const leaf = stack[0]?.functionName
  if (leaf === '(garbage collector)') return 'gc'
  if (leaf === '(idle)') return 'idle'
  if (leaf === '(program)' || leaf === '(root)') return 'other'
  if (leaf !== undefined && SOCKET_WRITES.has(leaf) && stack[0]?.url === '' && stack.some((f) => f.url === STREAM_BASE))
    return 'socket write'
  if (stack.some((f) => MODULE_LOADER.test(f.url))) return 'start-up'
  for (const frame of stack) {
    const phase = packagePhase(frame.url)
    if (phase !== undefined) return phase
  }
  return stack.some((f) => NODE_RECEIVE.test(f.url)) ? 'receive' : 'other'
}

/** Samples and sampled microseconds of one phase. */
export interface PhaseTime {
  readonly samples: number
  readonly micros: number
}

/**
 * Every sample of `profile` attributed to its phase (`phaseOfStack`), with its time: the sample's `timeDeltas` entry,
 * the time since the sample before it. Every phase is present, zero when nothing fell in it.
 */
export const attributeProfile = (profile: CpuProfile): Map<Phase, PhaseTime> => {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id)
  const phaseOfNode = new Map<number, Phase>()
  const phaseOf = (id: number): Phase => {
    const known = phaseOfNode.get(id)
    if (known !== undefined) return known
    const stack: { functionName: string; url: string }[] = []
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const node = byId.get(at)
      if (node === undefined) throw new Error(`the profile's sample names node ${at}, which it does not have`)
      stack.push(node.callFrame)
    }
    const phase = phaseOfStack(stack)
    phaseOfNode.set(id, phase)
    return phase
  }
  if (profile.samples.length !== profile.timeDeltas.length) {
    throw new Error('the profile has not one time delta per sample')
  }
  const totals = new Map<Phase, { samples: number; micros: number }>(PHASES.map((p) => [p, { samples: 0, micros: 0 }]))
  profile.samples.forEach((id, i) => {
    const total = totals.get(phaseOf(id))
    if (total === undefined) return
    total.samples += 1
    total.micros += Math.max(0, profile.timeDeltas[i] ?? 0)
  })
  return totals
}
