import type { Clock, OrderRepository, UnreadablePolicy } from '@domino-sm/core'
import type { Logger } from '../observability/logger.js'
import type { ConsoleConfig } from './console-config.js'

/** What the support console is built from: the store, the time, the log, and its settings. */
export interface ConsoleDeps {
  readonly orders: OrderRepository
  readonly clock: Clock
  readonly logger: Logger
  readonly config: ConsoleConfig
  /** The read-only ADMIN_TOKEN: it may read the console, never act. */
  readonly adminToken?: string
  /** As the hook is configured, so that a replay decides as the hook would. */
  readonly unreadable: UnreadablePolicy
  /** HOOK_DEADLINE_MS: answers later than `NEAR_DEADLINE_SHARE` of it are "near the deadline". */
  readonly hookDeadlineMs: number
}

/** Who is asking: an operator (may act) or the admin token's holder (reads only). */
export interface Principal {
  readonly name: string
  readonly role: 'operator' | 'reader'
  /** How they proved it: the session cookie (a page) or a bearer token (a script). */
  readonly via: 'session' | 'bearer'
}

/** The name the read-only ADMIN_TOKEN signs in as. */
export const READER_NAME = 'admin (read-only)'
