import type { ServiceIdentifier } from 'inversify'
import type { Clock, OrderRepository, TokenVerifier } from '@domino-sm/core'
import type Koa from 'koa'
import type { AppConfig } from '../config/app-config.js'
import type { HookAppDeps, HttpSettings, Readiness } from '../http/hook-app-deps.js'
import type { AppState } from '../http/hook-state.js'
import type { LateJournalWrites } from '../http/late-journal-writes.js'
import type { Logger } from '../observability/logger.js'
import type { HookMetrics } from '../observability/metrics.js'
import type { StoreHandle } from './store-handle.js'

/** The container's service identifiers, in one place; only the composition root resolves them. */
export const ID = {
  Config: Symbol.for('domino-sm.Config') as ServiceIdentifier<AppConfig>,
  HttpSettings: Symbol.for('domino-sm.HttpSettings') as ServiceIdentifier<HttpSettings>,
  Clock: Symbol.for('domino-sm.Clock') as ServiceIdentifier<Clock>,
  Logger: Symbol.for('domino-sm.Logger') as ServiceIdentifier<Logger>,
  Metrics: Symbol.for('domino-sm.Metrics') as ServiceIdentifier<HookMetrics>,
  HookTokens: Symbol.for('domino-sm.HookTokens') as ServiceIdentifier<readonly string[]>,
  TokenVerifier: Symbol.for('domino-sm.TokenVerifier') as ServiceIdentifier<TokenVerifier>,
  Store: Symbol.for('domino-sm.Store') as ServiceIdentifier<StoreHandle>,
  OrderRepository: Symbol.for('domino-sm.OrderRepository') as ServiceIdentifier<OrderRepository>,
  Readiness: Symbol.for('domino-sm.Readiness') as ServiceIdentifier<Readiness>,
  LateJournal: Symbol.for('domino-sm.LateJournal') as ServiceIdentifier<LateJournalWrites>,
  HookAppDeps: Symbol.for('domino-sm.HookAppDeps') as ServiceIdentifier<HookAppDeps>,
  /** The public listener's app: the hook only. */
  HookApp: Symbol.for('domino-sm.HookApp') as ServiceIdentifier<Koa<AppState>>,
  /** The internal listener's app: /healthz, /readyz, /metrics, /admin. */
  InternalApp: Symbol.for('domino-sm.InternalApp') as ServiceIdentifier<Koa<AppState>>,
} as const
