import { Command, Option } from 'commander'
import * as E from 'fp-ts/lib/Either.js'
import { readBuildInfo } from '../build-info/build-info.js'
import type { AppConfig, ParseOptions } from '../config/app-config.js'
import { terminalSafe } from '../support/terminal-text.js'
import { ConfigError, cut, UsageError } from './cli-errors.js'
import { collect, noteOption, once, orderKeyOption } from './option-values.js'
import type { FilterOptions } from './journal-command.js'

/*
 * The commands, the configuration and the stores are imported when a command runs, not before: `--help`,
 * `--version` and a refused argument load neither a driver nor a store, so they answer at once and can touch
 * nothing (`test/integration/command-line.test.ts`).
 */
const commands = {
  config: () => import('../config/app-config.js'),
  serve: () => import('./serve-command.js'),
  token: () => import('../auth/generate-token.js'),
  migrate: () => import('./migrate-command.js'),
  consumerGrants: () => import('./consumer-grants-command.js'),
  changeQueue: () => import('./change-queue-command.js'),
  journal: () => import('./journal-command.js'),
  personalData: () => import('./personal-data-command.js'),
  review: () => import('./review-command.js'),
}

/** What the command line works with: its arguments' world, passed in so that tests run it in the process. */
export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>
  readonly out: (text: string) => void
  readonly err: (text: string) => void
}

export const PROGRAM = 'domino-sbermarket-hook'

/** `--version`: the build's identity (`dist/build-info.json`, written by `npm run build`), as an operator reports it. */
export const versionText = (): string => {
  const build = readBuildInfo()
  return `${PROGRAM} ${build.version} (commit ${build.commit})`
}

const configOf = async (io: CliIo, options: ParseOptions = {}): Promise<AppConfig> => {
  const parsed = (await commands.config()).parseAppConfig(io.env, options)
  if (E.isLeft(parsed)) throw new ConfigError(parsed.left)
  return parsed.right
}

/** The Domino database settings of a command that talks only to it (`migrate`, `grants`, `change-queue`). */
const dominoDbOf = async (io: CliIo) => {
  const settings = (await configOf(io, { requireDominoDb: true })).dominoDb
  if (settings === undefined) throw new ConfigError(['the Domino database settings are missing'])
  return settings
}

const singleValued = (flags: string, description: string): Option => new Option(flags, description).argParser(once)

const FILTER_HELP = `
Filters (the same as GET /admin/journal's): --id is repeatable; --outcome takes a comma-separated list and is
repeatable; every other option is given at most once. Times are ISO 8601 with their offset (2026-05-24T00:00+03:00);
a date alone means midnight UTC. Text from requests is printed with control characters escaped (\\x1b, \\u202e).`

const withFilters = (command: Command): Command =>
  command
    .addOption(new Option('--id <N>', 'the entry with this id (repeatable)').argParser(collect))
    .addOption(singleValued('--order <KEY>', 'every request about this order key (originalOrderId)'))
    .addOption(
      new Option(
        '--outcome <LIST>',
        'created, duplicate, applied, stale, pending, review, ignored, rejected, failed, expired (comma-separated; repeatable)',
      ).argParser(collect),
    )
    .addOption(singleValued('--since <ISO>', 'received at or after this time'))
    .addOption(singleValued('--until <ISO>', 'received before this time'))
    .option('--review', 'only the entries of orders marked for review')
    .addOption(singleValued('--limit <N>', 'at most N entries (list: 200 by default, up to 1000)'))
    .addOption(singleValued('--after <ID>', 'the entries after this id (the next page)'))
    .addHelpText('after', FILTER_HELP)

/**
 * The command line (README "Support", "Configuration"): commander reads the arguments, so every command and
 * subcommand answers `--help` (exit 0, before anything is opened), refuses an unknown option, an excess argument
 * and a repeated single-valued option (exit 2). The configuration is parsed only when a command runs, after its
 * arguments were read. `setExitCode` receives what the command decided (1 for "no such order", say).
 */
export const buildProgram = (io: CliIo, setExitCode: (code: number) => void): Command => {
  const program = new Command(PROGRAM)
    .description(
      'Receives SberMarket order webhooks and records every order and status change in the Domino database.\nConfiguration comes from the environment (README "Configuration").',
    )
    .version(versionText(), '-V, --version', 'print the version and the commit of this build')
    .exitOverride()
    .configureOutput({
      writeOut: io.out,
      writeErr: io.err,
      // commander quotes what was given (a key, a date): escaped, and cut, so an argument cannot act on the terminal.
      outputError: (text, write) => write(`${terminalSafe(cut(text.replace(/\n$/, '')))}\n`),
    })
    .showHelpAfterError('(add --help for usage)')
    .allowExcessArguments(false)
    .helpCommand('help [command]', 'show the help of a command')

  program
    .command('serve')
    .description('run the hook until SIGTERM or SIGINT (configuration from the environment)')
    .action(async () => (await commands.serve()).serveCommand(await configOf(io)))

  program
    .command('token')
    .description('tokens for SBERMARKET_HOOK_TOKENS, ADMIN_TOKEN and OPERATOR_TOKENS')
    .command('generate')
    .description('print a fresh strong token')
    .action(async () => io.out(`${(await commands.token()).generateToken()}\n`))

  program
    .command('migrate')
    .description(
      'apply the Domino database migrations (DOMINO_DB_URL or DOMINO_DB_*, with an administrator login); with STORE=sqlite said explicitly, those of the SQLite file under DATA_DIR',
    )
    .action(async () => {
      const migrate = await commands.migrate()
      // Only a STORE said explicitly picks the embedded file (migrate-command.ts): the default would be SQLite.
      const explicit = io.env['STORE']?.trim().toLowerCase()
      if (explicit === 'memory') throw new ConfigError(['STORE=memory keeps no schema: nothing to migrate'])
      if (explicit === 'sqlite') return migrate.migrateSqliteCommand(await configOf(io), io.out)
      return migrate.migrateCommand(await dominoDbOf(io), io.out, io.err)
    })

  program
    .command('grants')
    .description('print the T-SQL granting the login SberMarketOrdersHook what the hook needs, for DOMINO_DB_SCHEMA')
    .addOption(singleValued('--consumer <LOGIN>', "instead: what a Domino job's login needs to take order changes"))
    .action(async (options: { readonly consumer?: string }) => {
      if (options.consumer === undefined) return (await commands.migrate()).grantsCommand(await dominoDbOf(io), io.out)
      if (options.consumer.trim() === '') throw new UsageError(['--consumer: give the login'])
      return (await commands.consumerGrants()).consumerGrantsCommand(await dominoDbOf(io), options.consumer, io.out)
    })

  /**
   * `change-queue`: the consumers of the order change queue (docs/domino-integration.md §4). `handoff` is the
   * spelling it shipped under, kept as a hidden command with the same subcommands so that scripts and runbooks
   * written for it still work; help shows only `change-queue`.
   */
  const changeQueue = (name: string, hidden: boolean): void => {
    const command = program
      .command(name, { hidden })
      .description("the consumers of the order change queue (an administrator's login, as for migrate)")
    const run = async (sub: 'add-consumer' | 'remove-consumer' | 'consumers', consumer: string | undefined) =>
      setExitCode(await (await commands.changeQueue()).changeQueueCommand(await dominoDbOf(io), sub, consumer, io.out))
    command
      .command('add-consumer')
      .argument('<NAME>', 'a plain name (letters, digits, _ and -)')
      .description('register a consumer: its queue receives every order change committed from now on')
      .action(async (consumer: string) => run('add-consumer', consumer))
    command
      .command('remove-consumer')
      .argument('<NAME>')
      .description('remove a consumer with the changes it had not taken (exit 1 when there is none)')
      .action(async (consumer: string) => run('remove-consumer', consumer))
    command
      .command('consumers')
      .description('list the consumers, their queue depth and oldest change waiting')
      .action(async () => run('consumers', undefined))
  }
  changeQueue('change-queue', false)
  changeQueue('handoff', true)

  const journal = program
    .command('journal')
    .description('the journal of every request, on the store the configuration names')
  journal
    .command('prune')
    .description('apply the retention policy now (RETENTION_* settings; serve also runs it on a schedule)')
    .addOption(
      new Option('--dry-run', 'refused: retention has no forecast (journal stats shows what is kept)').hideHelp(),
    )
    .action(async (options: { readonly dryRun?: boolean }) => {
      if (options.dryRun === true)
        throw new UsageError([
          'journal prune --dry-run: not supported, retention has no forecast; nothing was pruned (journal stats shows what is kept)',
        ])
      return (await commands.journal()).journalCommand(await configOf(io), 'prune', io.out)
    })
  journal
    .command('stats')
    .description('row counts and the oldest entries per table of the store')
    .option('--json', 'print one JSON document (the tables, the bodies kept, the review figures) instead of a table')
    .action(async (options: { readonly json?: boolean }) =>
      (await commands.journal()).journalCommand(await configOf(io), 'stats', io.out, options.json === true),
    )
  withFilters(
    journal
      .command('list')
      .description('list journal entries (no bodies), oldest first; --limit N and --after ID page on'),
  )
    .option(
      '--json',
      'print one JSON document (the page as GET /admin/journal gives it, and the next cursor) instead of lines',
    )
    .action(async (options: FilterOptions & { readonly json?: boolean }) => {
      const journalCommands = await commands.journal()
      const filters = journalCommands.filtersOf(options)
      setExitCode(
        await journalCommands.journalEntriesCommand(await configOf(io), 'list', filters, {
          dryRun: false,
          json: options.json === true,
          write: io.out,
          progress: io.err,
        }),
      )
    })
  withFilters(
    journal
      .command('replay')
      .description(
        'run the selected requests (at least one filter) again through the hook, each as a new request marked as a replay',
      ),
  )
    .option('--dry-run', 'say what a replay would do now; change nothing')
    .option('--json', 'print one JSON document (each entry: its outcome then and now) instead of lines')
    .addHelpText(
      'after',
      '\nA replay of more than 100 entries shows its progress (n of N) on stderr, every 100 entries and at the end.',
    )
    .action(async (options: FilterOptions & { readonly dryRun?: boolean; readonly json?: boolean }) => {
      const journalCommands = await commands.journal()
      const filters = journalCommands.replayFiltersOf(options)
      setExitCode(
        await journalCommands.journalEntriesCommand(await configOf(io), 'replay', filters, {
          dryRun: options.dryRun === true,
          json: options.json === true,
          write: io.out,
          progress: io.err,
        }),
      )
    })

  const supportAction = (command: Command): Command =>
    command
      .addOption(singleValued('--order <KEY>', 'the order key (originalOrderId)'))
      .addOption(singleValued('--note <TEXT>', 'who asked and why, the ticket (journaled)'))
  supportAction(
    program
      .command('personal-data')
      .description("a customer's personal data")
      .command('erase')
      .description(
        "erase the customer's name, phone, e-mail and address from an order, its payload and journal (journaled)",
      ),
  ).action(async (options: { readonly order?: string; readonly note?: string }) => {
    const [key, note] = [orderKeyOption(options.order), noteOption(options.note)]
    setExitCode(await (await commands.personalData()).personalDataCommand(await configOf(io), key, note, io.out))
  })
  supportAction(
    program
      .command('review')
      .description('orders marked for review')
      .command('clear')
      .description(
        'clear the review mark of an order the hook could not read whole (journaled); exit 1 when there is no such order',
      ),
  ).action(async (options: { readonly order?: string; readonly note?: string }) => {
    const [key, note] = [orderKeyOption(options.order), noteOption(options.note)]
    setExitCode(await (await commands.review()).reviewCommand(await configOf(io), key, note, io.out))
  })
  return program
}
