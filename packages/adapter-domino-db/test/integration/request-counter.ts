import type { MigratedSchema } from './sql-server-harness.js'

/** The TDS requests a connection sends (SQL batches, RPCs, transaction-manager requests), counted at tedious' one door. */
export interface RequestCounter {
  readonly count: () => number
  readonly reset: () => void
  readonly restore: () => void
  /**
   * Before the `nth` request counted from now is sent, runs `meanwhile` (its own requests not counted) and only then
   * sends it: what another instance does between an operation's read and its write.
   */
  readonly before: (nth: number, meanwhile: () => Promise<unknown>) => void
}

export const countRequests = async (admin: MigratedSchema['admin']): Promise<RequestCounter> => {
  const lending = admin as unknown as { acquire(r: object): Promise<object>; release(c: object): void }
  const connection = await lending.acquire(admin)
  lending.release(connection)
  const proto = Object.getPrototypeOf(connection) as { makeRequest: (...args: unknown[]) => unknown }
  const original = proto.makeRequest
  let sent = 0
  let counting = true
  let held: { readonly nth: number; readonly meanwhile: () => Promise<unknown> } | undefined
  proto.makeRequest = function (this: unknown, ...args: unknown[]) {
    if (!counting) return original.apply(this, args)
    sent += 1
    if (held === undefined || held.nth !== sent) return original.apply(this, args)
    const { meanwhile } = held
    held = undefined
    counting = false
    // tedious' makeRequest answers through the request's callback: sending it later is what a slow network does.
    void meanwhile().finally(() => {
      counting = true
      original.apply(this, args)
    })
    return undefined
  }
  return {
    count: () => sent,
    reset: () => (sent = 0),
    restore: () => (proto.makeRequest = original),
    before: (nth, meanwhile) => (held = { nth: sent + nth, meanwhile }),
  }
}
