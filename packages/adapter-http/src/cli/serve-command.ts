import type { AppConfig } from '../config/app-config.js'
import { startService } from '../composition-root/start-service.js'

/**
 * `serve`: runs the hook until SIGTERM or SIGINT, then shuts down gracefully. The banner goes to stderr, for the
 * person who started it. Its first line says which store the orders go to (an operator who forgot DOMINO_DB_URL
 * sees `sqlite` there at once); the hook's line comes when its listener opens, which waits for the store. The token
 * is printed only when it was generated just now (it is in DATA_DIR after).
 */
export const serveCommand = async (config: AppConfig): Promise<void> => {
  let stopOnFatal: (error: Error) => void = (error) => {
    process.stderr.write(`domino-sbermarket-hook: ${error.message}\n`)
    process.exit(1)
  }
  const write = (line: string): boolean => process.stderr.write(`${line}\n`)
  // The hook's line waits for the banner when the listener opens during the start (a store ready at once).
  let bannerWritten = false
  let hookLine: string | undefined
  const service = await startService(config, {
    onFatal: (error) => stopOnFatal(error),
    onHookListening: (hook) => {
      hookLine = `domino-sbermarket-hook listening: POST ${hook.hookUrl}`
      if (bannerWritten) write(hookLine)
    },
  })
  stopOnFatal = (error) => {
    process.stderr.write(`domino-sbermarket-hook: ${error.message}\n`)
    // The exit ends the process whatever the stop answers: nothing is left to wait for the promise.
    void service.stop().finally(() => process.exit(1))
  }
  // The handlers go in before the banner: whoever reads it may send SIGTERM at once.
  const shutdown = (signal: NodeJS.Signals): void => {
    service.logger.info({ signal }, 'shutting down')
    service.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        service.logger.error({ err: String(error) }, 'shutdown failed')
        process.exit(1)
      },
    )
  }
  process.once('SIGTERM', shutdown)
  process.once('SIGINT', shutdown)
  write(
    [
      `domino-sbermarket-hook store: ${service.storeDescription}`,
      // The console is on when someone may sign in to it (composition-root/modules.ts): an operator or the admin token.
      `internal: ${service.internalOrigin} (/healthz, /readyz, /metrics${config.adminToken === undefined ? '' : ', /admin'}${config.console.operators.length === 0 && config.adminToken === undefined ? '' : ', /console/'})`,
      service.token.source === 'config'
        ? 'Client-Token: one of SBERMARKET_HOOK_TOKENS'
        : service.token.generated
          ? `Client-Token: ${service.token.token}\n  (generated now and kept in ${service.token.path}; give it to SberMarket)`
          : `Client-Token: the one kept in ${service.token.path}`,
      `token accepted as: ${config.hookAuth.forms.join(', ')}${config.hookAuth.basicUser === undefined ? '' : ` (Basic user ${config.hookAuth.basicUser})`}`,
      hookLine ??
        'not ready: the store cannot reach its database yet; the hook listener opens when it does (see /readyz)',
    ].join('\n'),
  )
  bannerWritten = true
}
