import { expect } from 'chai'
import { attributeProfile, PHASES, phaseOfStack, type CpuProfile, type Phase } from '../../dist/phase-attribution.js'
import { phaseTable } from '../../dist/phase-table.js'

/** A frame: `url` as a script of this repository or node_modules would have it, or a node: module, or '' (native). */
type Frame = readonly [functionName: string, url: string]

const REPO = 'file:///srv/hook/'
const at = (path: string): string => `${REPO}${path}`

const KOA = ['dispatch', at('node_modules/koa-compose/index.js')] as const
const HTTP_SERVER = ['parserOnIncoming', 'node:_http_server'] as const
const HOOK_ENDPOINT = ['handleHook', at('packages/adapter-http/dist/http/hook-endpoint.js')] as const
const WIRE = ['decodeHookBody', at('packages/core/dist/wire/decode-hook-body.js')] as const
const USE_CASE = ['receiveHook', at('packages/core/dist/use-cases/receive-hook.js')] as const
const FP_TS = ['pipe', at('node_modules/fp-ts/lib/function.js')] as const
const DOMINO_STORE = [
  'createOrGet',
  at('packages/adapter-domino-db/dist/operations/create-or-get-operation.js'),
] as const
const TEDIOUS = ['writePacket', at('node_modules/tedious/lib/message-io.js')] as const
const NET = ['Socket._writeGeneric', 'node:net'] as const
const STREAM_BASE = ['writeGeneric', 'node:internal/stream_base_commons'] as const
const TASKS = ['processTicksAndRejections', 'node:internal/process/task_queues'] as const

/** Stacks written root first, as one reads a flame graph; each with the microseconds its sample stands for. */
const CASES: readonly { readonly stack: readonly Frame[]; readonly micros: number; readonly phase: Phase }[] = [
  // JSON.parse (no script) under core/wire under Koa: the innermost package frame is wire's.
  { stack: [HTTP_SERVER, KOA, HOOK_ENDPOINT, WIRE, ['parse', '']], micros: 100, phase: 'decode' },
  // Node's native socket write, whoever asked: tedious's packet or the HTTP answer (mostly a wait for a core).
  {
    stack: [TASKS, USE_CASE, FP_TS, DOMINO_STORE, TEDIOUS, NET, STREAM_BASE, ['writeBuffer', '']],
    micros: 200,
    phase: 'socket write',
  },
  {
    stack: [HTTP_SERVER, KOA, ['end', 'node:_http_outgoing'], NET, STREAM_BASE, ['writeLatin1String', '']],
    micros: 1600,
    phase: 'socket write',
  },
  // A script's function of the same name is not the native write: tedious is the innermost package frame.
  {
    stack: [TASKS, DOMINO_STORE, TEDIOUS, ['writeBuffer', at('node_modules/tedious/lib/tracking-buffer/writable.js')]],
    micros: 250,
    phase: 'driver',
  },
  // The store's own code under the use case, with fp-ts between: fp-ts decides nothing.
  { stack: [TASKS, HOOK_ENDPOINT, USE_CASE, DOMINO_STORE, FP_TS], micros: 300, phase: 'store' },
  { stack: [TASKS, HOOK_ENDPOINT, USE_CASE, FP_TS], micros: 400, phase: 'use case' },
  // The request log under Koa, writing through pino and sonic-boom to a file descriptor (node:fs matches nothing).
  {
    stack: [
      HTTP_SERVER,
      KOA,
      ['requestLog', at('packages/adapter-http/dist/http/request-log.js')],
      ['write', at('node_modules/pino/lib/proto.js')],
      ['writeSync', 'node:fs'],
    ],
    micros: 500,
    phase: 'log',
  },
  {
    stack: [HTTP_SERVER, KOA, ['observe', at('node_modules/prom-client/lib/histogram.js')]],
    micros: 600,
    phase: 'metrics',
  },
  {
    stack: [
      HTTP_SERVER,
      KOA,
      ['requireClientToken', at('packages/adapter-http/dist/http/hook-request-guards.js')],
      ['hash', 'node:internal/crypto/hash'],
    ],
    micros: 700,
    phase: 'auth',
  },
  // iconv-lite serves raw-body and tedious alike: its caller decides.
  {
    stack: [
      HTTP_SERVER,
      ['readStream', at('node_modules/raw-body/index.js')],
      ['decode', at('node_modules/iconv-lite/lib/index.js')],
    ],
    micros: 800,
    phase: 'receive',
  },
  { stack: [TASKS, TEDIOUS, ['decode', at('node_modules/iconv-lite/lib/index.js')]], micros: 900, phase: 'driver' },
  // Only Node's own HTTP and socket code, reading: the weaker rule names it.
  { stack: [HTTP_SERVER, ['onStreamRead', 'node:internal/stream_base_commons']], micros: 1000, phase: 'receive' },
  // A native write outside Node's socket streams (a file's) is no socket write.
  { stack: [HTTP_SERVER, ['writeSync', 'node:fs'], ['writeBuffer', '']], micros: 1700, phase: 'receive' },
  // Loading a module of core at start-up is start-up, not decode.
  {
    stack: [
      ['run', 'node:internal/modules/esm/module_job'],
      ['', at('packages/core/dist/wire/index.js')],
    ],
    micros: 1100,
    phase: 'start-up',
  },
  { stack: [['(garbage collector)', '']], micros: 1200, phase: 'gc' },
  { stack: [['(idle)', '']], micros: 1300, phase: 'idle' },
  { stack: [['(program)', '']], micros: 1400, phase: 'other' },
  { stack: [TASKS, FP_TS], micros: 1500, phase: 'other' },
]

/** A profile with one sample per case, built as V8 writes one: a tree of call frames, samples naming its nodes. */
const profileOf = (cases: typeof CASES): CpuProfile => {
  const nodes: { id: number; callFrame: { functionName: string; url: string }; children: number[] }[] = [
    { id: 1, callFrame: { functionName: '(root)', url: '' }, children: [] },
  ]
  const samples: number[] = []
  for (const c of cases) {
    let parent = nodes[0]
    for (const [functionName, url] of c.stack) {
      const found = parent?.children
        .map((id) => nodes.find((n) => n.id === id))
        .find((n) => n?.callFrame.functionName === functionName && n.callFrame.url === url)
      const node = found ?? { id: nodes.length + 1, callFrame: { functionName, url }, children: [] }
      if (found === undefined) {
        nodes.push(node)
        parent?.children.push(node.id)
      }
      parent = node
    }
    samples.push(parent?.id ?? 1)
  }
  return { nodes, samples, timeDeltas: cases.map((c) => c.micros) }
}

describe('phase attribution of a CPU profile (bench/src/phase-attribution.ts)', () => {
  for (const c of CASES) {
    it(`${c.phase}: ${c.stack.map(([f]) => f || '(native)').join(' > ')}`, () => {
      const innermostFirst = [...c.stack].reverse().map(([functionName, url]) => ({ functionName, url }))
      expect(phaseOfStack(innermostFirst)).to.equal(c.phase)
    })
  }

  it("sums each phase's samples and time over a whole profile, every phase present", () => {
    const totals = attributeProfile(profileOf(CASES))
    expect([...totals.keys()]).to.deep.equal([...PHASES])
    const expected = new Map<Phase, { samples: number; micros: number }>(
      PHASES.map((p) => [p, { samples: 0, micros: 0 }]),
    )
    for (const c of CASES) {
      const e = expected.get(c.phase)
      if (e !== undefined) {
        e.samples += 1
        e.micros += c.micros
      }
    }
    expect(Object.fromEntries(totals)).to.deep.equal(Object.fromEntries(expected))
    expect(totals.get('driver')).to.deep.equal({ samples: 2, micros: 1150 })
    expect(totals.get('receive')).to.deep.equal({ samples: 3, micros: 3500 })
    expect(totals.get('socket write')).to.deep.equal({ samples: 2, micros: 1800 })
  })

  it('refuses a profile whose sample names a node it does not have', () => {
    expect(() => attributeProfile({ nodes: [], samples: [7], timeDeltas: [1] })).to.throw('node 7')
  })
})

describe('the phase table (bench/src/phase-table.ts)', () => {
  const phases = new Map<Phase, { samples: number; micros: number }>(PHASES.map((p) => [p, { samples: 0, micros: 0 }]))
  phases.set('receive', { samples: 3, micros: 300 })
  phases.set('store', { samples: 1, micros: 100 })
  phases.set('idle', { samples: 10, micros: 1000 })
  phases.set('start-up', { samples: 5, micros: 500 })
  phases.set('socket write', { samples: 6, micros: 600 })
  const rowOf = (table: string, phase: string): string[] =>
    (table.split('\n').find((l) => l.startsWith(`| ${phase} |`)) ?? '')
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim())

  it("leaves idle, start-up and socket writes out, and spreads the measured CPU per request by the other phases' shares", () => {
    const table = phaseTable(phases, 4, 80)
    expect(rowOf(table, 'receive')).to.deep.equal(['receive', '3', '75.0 %', '75.0', '60.0'])
    expect(rowOf(table, 'store')).to.deep.equal(['store', '1', '25.0 %', '25.0', '20.0'])
    expect(rowOf(table, 'idle')).to.deep.equal(['idle', '10', '-', '-', '-'])
    expect(rowOf(table, 'start-up')).to.deep.equal(['start-up', '5', '-', '-', '-'])
    expect(rowOf(table, 'socket write')).to.deep.equal(['socket write', '6', '-', '150.0', '-'])
    expect(rowOf(table, '**per request**')).to.deep.equal(['**per request**', '4', '100 %', '100.0', '80.0'])
  })

  it('shows no per-request figure it cannot know', () => {
    expect(rowOf(phaseTable(phases, undefined, undefined), 'receive')).to.deep.equal([
      'receive',
      '3',
      '75.0 %',
      '-',
      '-',
    ])
  })
})
