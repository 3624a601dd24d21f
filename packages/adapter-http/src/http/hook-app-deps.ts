import type { Clock, OrderRepository, TokenVerifier, UnreadablePolicy } from '@domino-sm/core'
import type { HookAuthSettings } from '../auth/hook-credentials.js'
import type { ExpectedAssembly } from '../config/app-config.js'
import type { LateJournalWrites } from './late-journal-writes.js'
import type { ConsoleDeps } from '../console/console-deps.js'
import type { Logger } from '../observability/logger.js'
import type { HookMetrics } from '../observability/metrics.js'

/** The settings the HTTP edge needs (a slice of AppConfig, so tests can build it directly). */
export interface HttpSettings {
  readonly hookDeadlineMs: number
  readonly bodyLimitBytes: number
  readonly adminToken?: string
  readonly trustProxy: boolean
  /** What an order.created/changed that cannot be read whole gets: created for review (default) or 400. */
  readonly unreadableOrders?: UnreadablePolicy
  /** When set, the order.created answer carries `expectedAssemblyTime`. */
  readonly expectedAssembly?: ExpectedAssembly
  /** The forms the hook's token may come in (HOOK_AUTH_FORMS, HOOK_BASIC_USER); absent: all three, any user name. */
  readonly hookAuth?: HookAuthSettings
}

/** Whether the service takes traffic: false once a shutdown has begun, so `/readyz` sends the balancer away. */
export interface Readiness {
  accepting: boolean
}

/** Everything the Koa app is built from; the composition root resolves it, tests build it by hand. */
export interface HookAppDeps {
  readonly orders: OrderRepository
  readonly tokens: TokenVerifier
  readonly clock: Clock
  readonly logger: Logger
  readonly metrics: HookMetrics
  readonly settings: HttpSettings
  readonly readiness: Readiness
  /** The journal writes made after an answer (late-journal-writes.ts): a stop waits for them. */
  readonly lateJournal: LateJournalWrites
  /** The support console, when anybody may sign in to it (OPERATOR_TOKENS or ADMIN_TOKEN). */
  readonly console?: ConsoleDeps
}
