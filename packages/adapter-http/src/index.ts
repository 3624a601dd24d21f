/** @domino-sm/adapter-http: the Koa edge of the hook, its composition root, config and command line. */
export {
  parseAppConfig,
  type AppConfig,
  type ParseOptions,
  type RetentionConfig,
  type StoreKind,
  type LogLevel,
} from './config/app-config.js'
export { resolveSecrets, SECRET_NAMES, type ReadSecretFile, type SecretName } from './config/secret-sources.js'
export { parseByteSize } from './config/byte-size.js'
export { ConstantTimeTokenVerifier } from './auth/constant-time-token-verifier.js'
export { generateToken } from './auth/generate-token.js'
export { loadOrCreateHookToken, HOOK_TOKEN_FILE, type StoredToken } from './auth/stored-hook-token.js'
export {
  ALL_HOOK_AUTH_FORMS,
  authenticates,
  HOOK_AUTH_FORMS,
  presentedSecrets,
  type HookAuthForm,
  type HookAuthSettings,
} from './auth/hook-credentials.js'
export { createHookApp, createInternalApp, HOOK_PATHS } from './http/create-app.js'
export { answerFor, isoWithOffset, type HttpAnswer } from './http/answer.js'
export type { HookAppDeps, HttpSettings, Readiness } from './http/hook-app-deps.js'
export {
  LATE_JOURNAL_RETRY_DELAYS_MS,
  LateJournalWrites,
  STOPPING_RETRY_DELAY_MS,
  type LateWritesReport,
  type LostEntryFacts,
} from './http/late-journal-writes.js'
export { createLogger, type Logger } from './observability/logger.js'
export { HookMetrics, NEAR_DEADLINE_SHARE, type HookMetricsOptions } from './observability/metrics.js'
export { registerStoreGauges, REVIEW_READ_EVERY_MS } from './observability/store-gauges.js'
export { listen, type ListenOptions, type RequestHandler, type RunningServer } from './server/http-server.js'
export { startService, type RunningService, type StartOptions } from './composition-root/start-service.js'
export {
  startRetentionSchedule,
  type RetentionSchedule,
  type RetentionScheduleDeps,
} from './retention/retention-schedule.js'
export { formatStats } from './cli/journal-command.js'
export { versionText, type CliIo } from './cli/program.js'
export { runCli } from './cli/run-cli.js'
export { terminalSafe } from './support/terminal-text.js'
export { parseJournalFilters, type JournalFilters, type RawJournalFilters } from './support/journal-filters.js'
export {
  collectEntries,
  erasePersonalData,
  listJournal,
  replayJournal,
  type ReplaySettings,
} from './support/journal-support.js'
export { readBuildInfo, type BuildInfo } from './build-info/build-info.js'
export {
  parseConsoleConfig,
  parseOperatorTokens,
  type ConsoleConfig,
  type OperatorCredential,
} from './console/console-config.js'
export { openApiDocument } from './console/openapi.js'
export {
  REVIEW_ORDERS_MAX,
  TODAY_LIST_MAX,
  TODAY_LIST_SCAN_MAX,
  todayFigures,
  type TodayFigures,
} from './console/console-data.js'
export { escapeHtml, html } from './console/html.js'
export { consolePathOf } from './console/console-input.js'
export { CONSOLE_ASSET_BYTES, consoleRouter } from './console/console-router.js'
export type { ConsoleDeps } from './console/console-deps.js'
export { SessionKeeper, SignInThrottle } from './console/session.js'
