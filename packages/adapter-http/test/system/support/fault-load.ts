import { randomUUID } from 'node:crypto'
import { Agent } from 'node:http'
import { orderCreatedBody, statusBody, uniqueOrderId } from '@domino-sm/testkit'
import { attemptSucceeded, postAttempt, type AttemptResult, type DeliveryTiming } from '@domino-sm/testkit/emulator'

/**
 * One HTTP request of the load, as the client saw it. Its body is unique (an `attempt` field SberMarket does not
 * send, which the hook keeps in the raw body like any unknown field), so the request's one journal entry can be
 * found by the body alone.
 */
export interface SentRequest {
  readonly attemptId: string
  readonly body: string
  readonly eventType: string
  readonly key: string
  readonly instance: number
  /** Milliseconds since the load started, on the monotonic clock. */
  readonly sentAtMs: number
  readonly answeredAtMs: number
  readonly result: AttemptResult
}

/** One order of the load: what its `order.created` deliveries were answered, and the statuses answered 200. */
export interface LoadOrder {
  readonly key: string
  /** The number of every 200 answer to an `order.created` of this key, in answer order. */
  readonly answeredNumbers: string[]
  /** The status events answered 200. */
  readonly statusesAnswered: string[]
  /** Its `order.created` delivery ended without a 2xx (SberMarket would cancel the order on its side). */
  createGivenUp: boolean
}

export interface FaultLoadOptions {
  /** The hook URL of every instance; the attempts of a delivery go round them, as a balancer would send them. */
  readonly hookUrls: readonly string[]
  readonly token: string
  readonly timing: DeliveryTiming
  /** How many orders are in delivery at once (each a SberMarket client working through an order's events). */
  readonly workers: number
  /** Pause of a worker between two deliveries. */
  readonly pauseMs: number
}

export interface FaultLoad {
  /** The requests answered or given up so far (a copy). */
  readonly requests: () => readonly SentRequest[]
  readonly orders: () => readonly LoadOrder[]
  /** Milliseconds since the load started. */
  readonly nowMs: () => number
  /** Requests sent and not yet finished. */
  readonly inFlight: () => number
  /** Lets every worker finish the delivery it is in, then resolves; starts no new delivery. */
  readonly stop: () => Promise<void>
}

const STATUS_EVENTS = ['order.paid', 'order.received', 'order.delivered'] as const

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** The body with one more top-level field: the attempt's id. */
const withAttemptId = (body: string, attemptId: string): string => {
  const json = JSON.parse(body) as Record<string, unknown>
  return JSON.stringify({ ...json, attempt: attemptId })
}

const numberOf = (body: string): string | undefined => {
  try {
    const json = JSON.parse(body) as { number?: unknown }
    return typeof json.number === 'string' ? json.number : undefined
  } catch {
    return undefined
  }
}

/**
 * Continuous SberMarket-like load: `workers` orders at a time, each delivered as SberMarket does (every event with
 * a 5 s timeout per attempt and retries after growing pauses on a timeout, a connection error or any 4xx/5xx),
 * `order.created` then the status events; every fourth order sends its `order.paid` together with its
 * `order.created` (the two race, and the status may be kept pending). An order whose `order.created` is never
 * answered 2xx is dropped, as SberMarket cancels it.
 */
export const startFaultLoad = (options: FaultLoadOptions): FaultLoad => {
  const started = performance.now()
  const nowMs = (): number => performance.now() - started
  const agents = options.hookUrls.map(() => new Agent({ keepAlive: true }))
  const sent: SentRequest[] = []
  const orders: LoadOrder[] = []
  let inFlight = 0
  let nextInstance = 0
  let stopping = false

  const attempt = async (eventType: string, key: string, baseBody: string): Promise<AttemptResult> => {
    const instance = nextInstance
    nextInstance = (nextInstance + 1) % options.hookUrls.length
    const url = options.hookUrls[instance]
    const agent = agents[instance]
    if (url === undefined || agent === undefined) throw new Error(`no instance ${instance}`)
    const attemptId = randomUUID()
    const body = withAttemptId(baseBody, attemptId)
    const sentAtMs = nowMs()
    inFlight += 1
    const result = await postAttempt({
      url: new URL(url),
      headers: { 'Content-Type': 'application/json', 'Client-Token': options.token },
      body,
      timeoutMs: options.timing.timeoutMs,
      agent,
    })
    inFlight -= 1
    sent.push({ attemptId, body, eventType, key, instance, sentAtMs, answeredAtMs: nowMs(), result })
    return result
  }

  /** One event delivered with retries; the successful answer's body, or undefined when every attempt failed. */
  const deliver = async (eventType: string, key: string, baseBody: string): Promise<string | undefined> => {
    const pauses = options.timing.retryIntervalsMs
    for (let index = 0; index <= pauses.length; index += 1) {
      if (index > 0) await sleep(pauses[index - 1] ?? 0)
      const result = await attempt(eventType, key, baseBody)
      if (result._tag === 'Answered' && attemptSucceeded(result)) return result.body
    }
    return undefined
  }

  const deliverStatus = async (order: LoadOrder, eventType: string): Promise<void> => {
    const answer = await deliver(eventType, order.key, statusBody(eventType, order.key).body)
    if (answer !== undefined) order.statusesAnswered.push(eventType)
  }

  const deliverCreated = async (order: LoadOrder): Promise<boolean> => {
    const pauses = options.timing.retryIntervalsMs
    const body = orderCreatedBody({ originalOrderId: order.key }).body
    for (let index = 0; index <= pauses.length; index += 1) {
      if (index > 0) await sleep(pauses[index - 1] ?? 0)
      const result = await attempt('order.created', order.key, body)
      if (result._tag === 'Answered' && attemptSucceeded(result)) {
        order.answeredNumbers.push(numberOf(result.body) ?? `no number in ${result.body}`)
        return true
      }
    }
    order.createGivenUp = true
    return false
  }

  const worker = async (index: number): Promise<void> => {
    for (let n = 0; !stopping; n += 1) {
      const order: LoadOrder = {
        key: uniqueOrderId('FLT'),
        answeredNumbers: [],
        statusesAnswered: [],
        createGivenUp: false,
      }
      orders.push(order)
      const racing = (index + n) % 4 === 0
      const created = racing
        ? (await Promise.all([deliverCreated(order), deliverStatus(order, 'order.paid')]))[0]
        : await deliverCreated(order)
      if (!created) continue
      for (const eventType of racing ? STATUS_EVENTS.slice(1) : STATUS_EVENTS) {
        if (stopping) break
        await sleep(options.pauseMs)
        await deliverStatus(order, eventType)
      }
      await sleep(options.pauseMs)
    }
  }

  const workers = Array.from({ length: options.workers }, (_, i) => worker(i))
  return {
    requests: () => [...sent],
    orders: () => [...orders],
    nowMs,
    inFlight: () => inFlight,
    stop: async () => {
      stopping = true
      await Promise.all(workers)
      for (const agent of agents) agent.destroy()
    },
  }
}
