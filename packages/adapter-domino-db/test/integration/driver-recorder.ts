import dc from 'node:diagnostics_channel'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import mssql from 'mssql'
import type { SentRequest } from './statement-text-check.js'

/**
 * Records every request the adapter sends through the driver, at mssql's public door: `Request.prototype.query`,
 * `.batch` and `.execute` are wrapped, and each call is seen with its text and the values bound to it
 * (`request.parameters`, public in mssql's typings). A second, independent witness is the driver's own telemetry
 * (mssql's documented diagnostics channels `mssql:query`, `mssql:batch`, `mssql:execute`, which carry the text but
 * never the values): the recorder counts what it saw there too, so a request that went past the wrapper would show.
 *
 * Whose request it is: the code that called the driver. A request is the adapter's when the nearest caller outside
 * the driver is a module of the adapter's compiled code (`packages/adapter-domino-db/dist/`); the test harness's own
 * SQL (CREATE LOGIN with a literal password, DROP TABLE, holding a lock) is called from `dist-test/` and is not.
 * Telling them apart by pool would not do: `migrate` runs on the harness's admin pool, and the tests' stores are
 * opened like the hook's. The call site is read from V8's structured stack (`Error.captureStackTrace` with
 * `Error.prepareStackTrace` returning the call sites), so source maps play no part. `composer` names the adapter
 * module (and function, where V8 knows its name) that built the statement: the first frame above the adapter's
 * plumbing (`driver/operation-budget.js`, `driver/requests.js`), or `test: <file>` when a test composed it and sent it through
 * the adapter's door (those are checked too).
 *
 * Not seen: requests of other processes (the system tests of adapter-http start `serve` as child processes).
 */
export interface DriverRecorder {
  /** Calls `listener` with every request of the adapter from now on; returns how to stop. */
  readonly listen: (listener: (request: SentRequest) => void) => () => void
  /**
   * The adapter's requests the wrapper saw, and those the driver's diagnostics channels saw (these two must be
   * equal); the requests of the tests' own SQL; and the adapter's uses of the driver's doors the wrapper does not
   * record (bulk loads, prepared statements: must be none).
   */
  readonly counts: () => {
    readonly wrapper: number
    readonly channels: number
    readonly notAdapter: ReadonlyMap<string, number>
    readonly unrecorded: number
  }
  /** Collects the adapter's requests from now until `stop` is called. */
  readonly collect: () => { readonly stop: () => readonly SentRequest[] }
}

type Method = SentRequest['method']
const METHODS: readonly Method[] = ['query', 'batch', 'execute']

const ADAPTER_DIST = path.dirname(fileURLToPath(import.meta.resolve('@domino-sm/adapter-domino-db')))
const PLUMBING = new Set([path.join('driver', 'operation-budget.js'), path.join('driver', 'requests.js')])

/** The call sites of the stack below `above` (V8's structured stack trace API). */
const callSites = (above: (...args: never[]) => unknown): readonly NodeJS.CallSite[] => {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- kept only to be put back as it was, never called here
  const prepare = Error.prepareStackTrace
  const limit = Error.stackTraceLimit
  try {
    Error.prepareStackTrace = (_error, sites) => sites
    Error.stackTraceLimit = 40
    const holder: { stack?: unknown } = {}
    Error.captureStackTrace(holder, above)
    const sites = holder.stack
    return Array.isArray(sites) ? (sites as NodeJS.CallSite[]) : []
  } finally {
    Error.prepareStackTrace = prepare
    Error.stackTraceLimit = limit
  }
}

const fileOf = (site: NodeJS.CallSite): string | undefined => {
  const name = site.getFileName() ?? undefined
  if (name === undefined) return undefined
  return name.startsWith('file:') ? fileURLToPath(name) : name
}

const THIS_FILE = fileURLToPath(import.meta.url)

/**
 * Who called the driver: `undefined` when it is not the adapter; otherwise the composer of the statement. Frames of
 * node itself (no file, or `node:`), of `node_modules` (the driver) and of this file are skipped.
 */
const outsideDriver = (sites: readonly NodeJS.CallSite[]): NodeJS.CallSite[] =>
  sites.filter((site) => {
    const file = fileOf(site)
    return (
      file !== undefined &&
      !file.startsWith('node:') &&
      !file.includes(`${path.sep}node_modules${path.sep}`) &&
      file !== THIS_FILE
    )
  })

/** The file that called the driver (for the count of the tests' own SQL). */
const callerFileOf = (sites: readonly NodeJS.CallSite[]): string => {
  const caller = outsideDriver(sites)[0]
  return caller === undefined ? 'unknown' : path.basename(fileOf(caller) ?? 'unknown')
}

const composerOf = (sites: readonly NodeJS.CallSite[]): string | undefined => {
  const outside = outsideDriver(sites)
  const caller = outside[0]
  const callerFile = caller === undefined ? undefined : fileOf(caller)
  if (callerFile === undefined || !callerFile.startsWith(`${ADAPTER_DIST}${path.sep}`)) return undefined
  for (const site of outside) {
    const file = fileOf(site) ?? ''
    if (!file.startsWith(`${ADAPTER_DIST}${path.sep}`)) return `test: ${path.basename(file)}`
    const relative = path.relative(ADAPTER_DIST, file)
    if (PLUMBING.has(relative)) continue
    const fn = site.getFunctionName()
    return fn === null || fn === '' ? relative : `${relative} ${fn}`
  }
  return path.relative(ADAPTER_DIST, callerFile)
}

const valuesOf = (request: mssql.Request): Record<string, unknown> =>
  Object.fromEntries(Object.entries(request.parameters).map(([name, parameter]) => [name, parameter.value as unknown]))

let installed: DriverRecorder | undefined

/** Installs the recorder once per process (every test file that asks gets the same one). */
export const installDriverRecorder = (): DriverRecorder => {
  if (installed !== undefined) return installed
  const listeners = new Set<(request: SentRequest) => void>()
  let wrapper = 0
  let channels = 0
  const notAdapter = new Map<string, number>()
  let unrecorded = 0
  const proto = mssql.Request.prototype as unknown as Record<
    Method,
    (this: mssql.Request, ...args: unknown[]) => unknown
  >
  for (const method of METHODS) {
    const original = proto[method]
    const recording = function (this: mssql.Request, ...args: unknown[]): unknown {
      const sites = callSites(recording)
      const composer = composerOf(sites)
      if (composer === undefined) {
        const file = callerFileOf(sites)
        notAdapter.set(file, (notAdapter.get(file) ?? 0) + 1)
      } else {
        wrapper += 1
        const command = args[0]
        const request: SentRequest = {
          method,
          text: typeof command === 'string' ? command : JSON.stringify(command),
          params: valuesOf(this),
          composer,
        }
        for (const listener of listeners) listener(request)
      }
      return original.apply(this, args)
    }
    proto[method] = recording
  }
  for (const channel of ['mssql:query', 'mssql:batch', 'mssql:execute']) {
    const onStart = (): void => {
      if (composerOf(callSites(onStart)) !== undefined) channels += 1
    }
    dc.subscribe(`tracing:${channel}:start`, onStart)
  }
  // The driver's other doors that carry a statement: the adapter uses none of them (the T-SQL engine has no
  // sp_prepare, and a bulk load would bypass the statements), so any use is counted as unrecorded.
  for (const channel of ['mssql:bulk', 'mssql:prepared-statement:prepare', 'mssql:prepared-statement:execute']) {
    const onStart = (): void => {
      if (composerOf(callSites(onStart)) !== undefined) unrecorded += 1
    }
    dc.subscribe(`tracing:${channel}:start`, onStart)
  }
  installed = {
    listen: (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    counts: () => ({ wrapper, channels, notAdapter, unrecorded }),
    collect: () => {
      const seen: SentRequest[] = []
      const listener = (request: SentRequest): void => {
        seen.push(request)
      }
      listeners.add(listener)
      return {
        stop: () => {
          listeners.delete(listener)
          return seen
        },
      }
    },
  }
  return installed
}
