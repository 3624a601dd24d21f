#!/usr/bin/env node
import * as E from 'fp-ts/lib/Either.js'
import { generateToken } from '../auth/generate-token.js'
import { parseAppConfig, type AppConfig } from '../config/app-config.js'
import { consumerGrantsCommand } from './consumer-grants-command.js'
import { handoffCommand } from './handoff-command.js'
import { journalCommand } from './journal-command.js'
import { reviewCommand } from './review-command.js'
import { journalSupportCommand, personalDataCommand } from './support-command.js'
import { grantsCommand, migrateCommand } from './migrate-command.js'
import { serveCommand } from './serve-command.js'

const USAGE = `usage: domino-sbermarket-hook <command>

commands:
  serve            run the hook (configuration from the environment; see README)
  token generate   print a fresh strong token for SBERMARKET_HOOK_TOKENS or ADMIN_TOKEN
  migrate          apply the Domino database migrations (DOMINO_DB_URL, with an admin login)
  grants           print the T-SQL granting the login SberMarketOrdersHook what the hook needs
  grants --consumer LOGIN
                   print the T-SQL granting a Domino job's login what it needs to take order changes
  handoff add-consumer NAME | remove-consumer NAME | consumers
                   register, remove, list the consumers of the order change queue (an administrator's login)
  journal prune    apply the retention policy now (RETENTION_* settings; serve also runs it on a schedule)
  journal stats [--json]
                   print row counts and the oldest entries per table of the store
  journal list [--id N]... [--order KEY] [--outcome failed,rejected,...] [--since ISO] [--until ISO] [--review]
                   list journal entries (no bodies), oldest first; --limit N, --after ID page on; --json
  journal replay   the same filters (at least one), [--dry-run]: run the selected requests again through the hook,
                   each as a new request marked as a replay; --dry-run says what it would do and changes nothing;
                   --json; progress (n of N) on stderr above 100 entries
  personal-data erase --order KEY --note TEXT
                   erase the customer's name, phone, e-mail and address from an order, its payload and journal (journaled)
  review clear --order KEY --note TEXT
                   clear the review mark of an order the hook could not read whole (journaled)
  help             this text
`

const configOrExit = (): AppConfig => {
  const parsed = parseAppConfig(process.env)
  if (E.isRight(parsed)) return parsed.right
  process.stderr.write(`configuration error:\n${parsed.left.map((m) => `  - ${m}`).join('\n')}\n`)
  process.exit(2)
}

const main = async (args: readonly string[]): Promise<void> => {
  const [command, sub] = args
  switch (command) {
    case 'serve':
      return serveCommand(configOrExit())
    case 'token':
      if (sub === 'generate') {
        process.stdout.write(`${generateToken()}\n`)
        return
      }
      break
    case 'journal':
      if (sub === 'list' || sub === 'replay') {
        process.exitCode = await journalSupportCommand(configOrExit(), sub, args.slice(2), (text) => process.stdout.write(text))
        return
      }
      if (await journalCommand(configOrExit(), sub, (text) => process.stdout.write(text), args.slice(2))) return
      break
    case 'review': {
      const code = await reviewCommand(configOrExit(), args.slice(1), (text) => process.stdout.write(text))
      process.exitCode = code
      return
    }
    case 'personal-data':
      process.exitCode = await personalDataCommand(configOrExit(), args.slice(1), (text) => process.stdout.write(text))
      return
    case 'migrate':
      return migrateCommand(process.env)
    case 'grants':
      if (sub === '--consumer') {
        process.exitCode = await consumerGrantsCommand(process.env, args[2], (text) => process.stdout.write(text), (text) => process.stderr.write(text))
        return
      }
      return grantsCommand(process.env)
    case 'handoff':
      process.exitCode = await handoffCommand(process.env, args.slice(1), (text) => process.stdout.write(text), (text) => process.stderr.write(text))
      return
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE)
      return
  }
  process.stderr.write(USAGE)
  process.exitCode = 2
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`domino-sbermarket-hook: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
