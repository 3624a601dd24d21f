import { ContainerModule } from 'inversify'
import type { Clock, OrderRepository } from '@domino-sm/core'
import type { ConsoleDeps } from '../console/console-deps.js'
import { ConstantTimeTokenVerifier } from '../auth/constant-time-token-verifier.js'
import type { AppConfig } from '../config/app-config.js'
import { createHookApp, createInternalApp } from '../http/create-app.js'
import { LateJournalWrites } from '../http/late-journal-writes.js'
import { readBuildInfo } from '../build-info/build-info.js'
import type { Logger } from '../observability/logger.js'
import { HookMetrics } from '../observability/metrics.js'
import { registerStoreGauges } from '../observability/store-gauges.js'
import { ID } from './identifiers.js'
import type { StoreHandle } from './store-handle.js'

/** Settings and the things made outside the container (the config, the logger, the opened store, the tokens). */
export const valuesModule = (values: {
  readonly config: AppConfig
  readonly logger: Logger
  readonly clock: Clock
  readonly store: StoreHandle
  readonly hookTokens: readonly string[]
}): ContainerModule =>
  new ContainerModule(({ bind }) => {
    bind(ID.Config).toConstantValue(values.config)
    bind(ID.Logger).toConstantValue(values.logger)
    bind(ID.Clock).toConstantValue(values.clock)
    bind(ID.Store).toConstantValue(values.store)
    bind(ID.HookTokens).toConstantValue(values.hookTokens)
    bind(ID.Readiness).toConstantValue({ accepting: true })
  })

/** The support console's dependencies, when anybody may sign in to it (an operator or the admin token). */
const consoleOf = (
  config: AppConfig,
  orders: OrderRepository,
  clock: Clock,
  logger: Logger,
): { console?: ConsoleDeps } =>
  config.console.operators.length === 0 && config.adminToken === undefined
    ? {}
    : {
        console: {
          orders,
          clock,
          logger,
          config: config.console,
          unreadable: config.unreadableOrders,
          hookDeadlineMs: config.hookDeadlineMs,
          ...(config.adminToken === undefined ? {} : { adminToken: config.adminToken }),
        },
      }

/** The HTTP edge: the token verifier, metrics, and the Koa app built from resolved dependencies. */
export const httpModule = new ContainerModule(({ bind }) => {
  bind(ID.HttpSettings)
    .toDynamicValue((ctx) => {
      const config = ctx.get(ID.Config)
      return {
        hookDeadlineMs: config.hookDeadlineMs,
        bodyLimitBytes: config.bodyLimitBytes,
        trustProxy: config.trustProxy,
        unreadableOrders: config.unreadableOrders,
        hookAuth: config.hookAuth,
        ...(config.adminToken === undefined ? {} : { adminToken: config.adminToken }),
        ...(config.expectedAssembly === undefined ? {} : { expectedAssembly: config.expectedAssembly }),
      }
    })
    .inSingletonScope()
  bind(ID.TokenVerifier)
    .toDynamicValue((ctx) => new ConstantTimeTokenVerifier(ctx.get(ID.HookTokens)))
    .inSingletonScope()
  bind(ID.Metrics)
    .toDynamicValue((ctx) => {
      const metrics = new HookMetrics({
        processMetrics: true,
        deadlineSeconds: ctx.get(ID.Config).hookDeadlineMs / 1000,
        build: { ...readBuildInfo(), store: ctx.get(ID.Store).identity },
      })
      registerStoreGauges(metrics.registry, ctx.get(ID.OrderRepository), ctx.get(ID.Clock))
      return metrics
    })
    .inSingletonScope()
  bind(ID.LateJournal)
    .toDynamicValue((ctx) => new LateJournalWrites(ctx.get(ID.Logger), ctx.get(ID.Metrics)))
    .inSingletonScope()
  bind(ID.OrderRepository)
    .toDynamicValue((ctx) => ctx.get(ID.Store).repository)
    .inSingletonScope()
  bind(ID.HookAppDeps)
    .toDynamicValue((ctx) => ({
      orders: ctx.get(ID.OrderRepository),
      tokens: ctx.get(ID.TokenVerifier),
      clock: ctx.get(ID.Clock),
      logger: ctx.get(ID.Logger),
      metrics: ctx.get(ID.Metrics),
      settings: ctx.get(ID.HttpSettings),
      readiness: ctx.get(ID.Readiness),
      lateJournal: ctx.get(ID.LateJournal),
      ...consoleOf(ctx.get(ID.Config), ctx.get(ID.OrderRepository), ctx.get(ID.Clock), ctx.get(ID.Logger)),
    }))
    .inSingletonScope()
  bind(ID.HookApp)
    .toDynamicValue((ctx) => createHookApp(ctx.get(ID.HookAppDeps)))
    .inSingletonScope()
  bind(ID.InternalApp)
    .toDynamicValue((ctx) => createInternalApp(ctx.get(ID.HookAppDeps)))
    .inSingletonScope()
})
