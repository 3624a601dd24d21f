import * as E from 'fp-ts/lib/Either.js'
import { parseArgs } from 'node:util'
import { decodeHookBody } from '@domino-sm/core'
import { uniqueCreatedBody } from './bench-bodies.js'
import { startAllocationMeter } from './heap-allocation.js'

/**
 * `node bench/dist/decode-cost.js`: the time and V8 heap allocation of `decodeHookBody` per body, over the
 * benchmark's unique `order.created` bodies (1.5 KB, Cyrillic, 2-5 positions). Alone, on one core, after warm-up.
 * `--keys integer` sends every key as a JSON integer (17 digits, beyond 2^53): the body is then parsed a second time
 * with a reviver that keeps the key's digits (`exact-key.ts`); `--keys string` (the default) is SberMarket's "H..." form.
 */
const { values } = parseArgs({
  options: {
    bodies: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '5' },
    keys: { type: 'string', default: 'string' },
  },
})
const count = Number(values.bodies)
const integerKeys = values.keys === 'integer'
const bodies = Array.from({ length: count }, (_, n) =>
  integerKeys
    ? uniqueCreatedBody('D', n).replace(
        /"originalOrderId":"D-(\d+)"/,
        (_m, k: string) => `"originalOrderId":${90071992547409931n + BigInt(k)}`,
      )
    : uniqueCreatedBody('D', n),
)
const averageBytes = bodies.reduce((sum, b) => sum + Buffer.byteLength(b), 0) / count

let sink = 0
const pass = (): void => {
  for (const body of bodies) {
    const result = decodeHookBody(body)
    if (E.isLeft(result)) throw new Error(`rejected: ${result.left.detail}`)
    sink += result.right._tag.length
  }
}

pass()
pass()
const micros: number[] = []
const bytes: number[] = []
for (let round = 0; round < Number(values.rounds); round += 1) {
  const meter = startAllocationMeter()
  const started = process.hrtime.bigint()
  pass()
  const elapsed = Number(process.hrtime.bigint() - started) / 1000
  bytes.push(meter.stop() / count)
  micros.push(elapsed / count)
}
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN
process.stdout.write(
  `decodeHookBody over ${count} bodies of ${averageBytes.toFixed(0)} bytes on average, ${integerKeys ? 'integer' : 'string'} keys, ${values.rounds} rounds (median; min-max):\n` +
    `  ${median(micros).toFixed(2)} us per body (${Math.min(...micros).toFixed(2)}-${Math.max(...micros).toFixed(2)})\n` +
    `  ${(median(bytes) / 1024).toFixed(2)} KB allocated per body (${(Math.min(...bytes) / 1024).toFixed(2)}-${(Math.max(...bytes) / 1024).toFixed(2)})\n`,
)
if (sink === 0) process.stdout.write('\n')
