import type { AppConfig } from '../config/app-config.js'
import { startService } from '../composition-root/start-service.js'

/**
 * `serve`: runs the hook until SIGTERM or SIGINT, then shuts down gracefully. The banner goes to stderr, for the
 * person who started it; the token is printed only when it was generated just now (it is in DATA_DIR after).
 */
export const serveCommand = async (config: AppConfig): Promise<void> => {
  let stopOnFatal: (error: Error) => void = (error) => {
    process.stderr.write(`${error.message}\n`)
    process.exit(1)
  }
  const service = await startService(config, { onFatal: (error) => stopOnFatal(error) })
  stopOnFatal = (error) => {
    process.stderr.write(`domino-sbermarket-hook: ${error.message}\n`)
    service.stop().finally(() => process.exit(1))
  }
  const lines = [
    `domino-sbermarket-hook listening: POST ${service.hookUrl}`,
    `store: ${service.storeDescription}`,
    service.token.source === 'config'
      ? 'Client-Token: one of SBERMARKET_HOOK_TOKENS'
      : service.token.generated
        ? `Client-Token: ${service.token.token}\n  (generated now and kept in ${service.token.path}; give it to SberMarket)`
        : `Client-Token: the one kept in ${service.token.path}`,
    `token accepted as: ${config.hookAuth.forms.join(', ')}${config.hookAuth.basicUser === undefined ? '' : ` (Basic user ${config.hookAuth.basicUser})`}`,
  ]
  process.stderr.write(`${lines.join('\n')}\n`)
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
}
