import { send } from '../../support/http-client.js'

/** A journal entry as `GET /admin/orders/:id/events` shows it (the fields the system tests read). */
export interface JournalView {
  readonly eventType: string | null
  readonly outcome: string
  readonly httpStatus: number
  readonly hasBody: boolean
}

/** An order as `GET /admin/orders/:id` shows it (the fields the system tests read). */
export interface OrderSummary {
  readonly originalOrderId: string
  readonly number: string
  readonly status: string
}

const bearer = (adminToken: string) => ({ Authorization: `Bearer ${adminToken}` })

/** The order of `key`, asked of one instance directly (the admin API is not behind nginx); undefined on 404. */
export const fetchOrder = async (
  origin: string,
  adminToken: string,
  key: string,
): Promise<OrderSummary | undefined> => {
  const res = await send(`${origin}/admin/orders/${encodeURIComponent(key)}`, {
    method: 'GET',
    headers: bearer(adminToken),
  })
  if (res.status === 404) return undefined
  if (res.status !== 200) throw new Error(`admin order ${key}: HTTP ${res.status} ${res.text}`)
  return res.json as OrderSummary
}

/** The journal of `key`, oldest first, every page of it (the history answers pages, with the cursor `next`). */
export const fetchJournal = async (origin: string, adminToken: string, key: string): Promise<JournalView[]> => {
  const entries: JournalView[] = []
  let after: number | null = null
  do {
    const query: string = after === null ? '' : `?after=${after}`
    const res = await send(`${origin}/admin/orders/${encodeURIComponent(key)}/events${query}`, {
      method: 'GET',
      headers: bearer(adminToken),
    })
    if (res.status !== 200) throw new Error(`admin journal ${key}: HTTP ${res.status} ${res.text}`)
    const page = res.json as { events: JournalView[]; next: number | null }
    entries.push(...page.events)
    after = page.next
  } while (after !== null)
  return entries
}

/** How many entries have each outcome, e.g. { created: 1, duplicate: 49 }. */
export const countOutcomes = (entries: readonly JournalView[], eventType?: string): Record<string, number> => {
  const counts: Record<string, number> = {}
  for (const entry of entries) {
    if (eventType !== undefined && entry.eventType !== eventType) continue
    counts[entry.outcome] = (counts[entry.outcome] ?? 0) + 1
  }
  return counts
}
