#!/usr/bin/env node
import { parseEmulatorArgs, EMULATOR_USAGE, type EmulatorCliArgs } from './cli-args.js'
import { formatDaySummary } from './day-summary.js'
import { runEmulatedDay } from './emulated-day.js'
import { adminApiInspector } from './order-inspector.js'

/** `npm run emulate -- ...`: plays a day against a hook URL, prints the summary, exits 1 on any mismatch. */
const main = async (argv: readonly string[]): Promise<number> => {
  let args: EmulatorCliArgs
  try {
    args = parseEmulatorArgs(argv)
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${EMULATOR_USAGE}\n`)
    return 2
  }
  const { summary, authForm } = await runEmulatedDay({
    url: args.url,
    token: args.token,
    orders: args.orders,
    timeScale: args.timeScale,
    seed: args.seed,
    concurrency: args.concurrency,
    auth: args.auth,
    ...(args.basicUser === undefined ? {} : { basicUser: args.basicUser }),
    ...(args.adminToken === undefined
      ? {}
      : { inspect: adminApiInspector(args.adminUrl ?? args.url, args.adminToken) }),
  })
  process.stdout.write(`token sent as: ${authForm}\n${formatDaySummary(summary)}\n`)
  return summary.mismatches.length === 0 ? 0 : 1
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(`emulate: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode = 1
  },
)
