import { createHash } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import type { SchemaName } from '../settings/schema-name.js'

/** One versioned migration as shipped: `NNNN_name.sql` in the package's `migrations/` folder. */
export interface Migration {
  readonly version: number
  readonly name: string
  /** The file's text, with the `{{schema}}` placeholder still in it. */
  readonly sql: string
  /** SHA-256 (hex) of `sql` (line ends normalised): what was applied must be what is shipped. */
  readonly checksum: string
}

/**
 * Earlier texts of shipped migrations that mean exactly the same schema, by version: a database that recorded one of
 * these checksums has that migration applied. 0002 first declared the order_line foreign key in the column-level
 * form (`order_id BIGINT NOT NULL CONSTRAINT fk FOREIGN KEY REFERENCES ...`); it now uses the table-level form
 * (`CONSTRAINT fk FOREIGN KEY (order_id) REFERENCES ...`), which SQL Server creates identically (same name, same
 * columns, same referenced key, no actions) and which every T-SQL implementation accepts. The recorded checksum of a
 * server migrated before the change is not rewritten: it stays what was applied.
 */
const EQUIVALENT_CHECKSUMS: Readonly<Record<number, readonly string[]>> = {
  2: ['caee1aa8e842514309232b631ad79d02e9d08a21ceb3f15ea0fd23fbdb1bf865'],
}

/** Whether `recorded` (from schema_migration) is the checksum of `migration` as shipped, or of an equivalent earlier text. */
export const sameMigration = (migration: Migration, recorded: string): boolean => {
  const checksum = recorded.trim().toLowerCase()
  return checksum === migration.checksum || (EQUIVALENT_CHECKSUMS[migration.version] ?? []).includes(checksum)
}

const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/

/** SHA-256 of the text with CRLF read as LF, so that a Windows checkout of the same file has the same checksum. */
export const checksumOf = (sql: string): string =>
  createHash('sha256').update(sql.replace(/\r\n/g, '\n'), 'utf8').digest('hex')

/**
 * Orders the migration files by version and checks them: every `.sql` file is named `NNNN_name.sql`, versions run
 * 1, 2, 3... with no gap and no duplicate. Files that are not `.sql` are ignored (a README may sit beside them).
 */
export const orderMigrations = (
  files: readonly { readonly fileName: string; readonly sql: string }[],
): E.Either<readonly string[], readonly Migration[]> => {
  const problems: string[] = []
  const migrations: Migration[] = []
  for (const { fileName, sql } of files) {
    if (!fileName.toLowerCase().endsWith('.sql')) continue
    const match = FILE_NAME.exec(fileName)
    if (match === null) {
      problems.push(`migration file ${fileName}: the name must be NNNN_lower_case_name.sql`)
      continue
    }
    migrations.push({ version: Number(match[1]), name: match[2] ?? '', sql, checksum: checksumOf(sql) })
  }
  migrations.sort((a, b) => a.version - b.version)
  migrations.forEach((migration, i) => {
    if (migration.version !== i + 1)
      problems.push(
        `migration ${String(migration.version).padStart(4, '0')}_${migration.name}: expected version ${i + 1} (versions run 1, 2, 3... with no gap or duplicate)`,
      )
  })
  if (migrations.length === 0 && problems.length === 0) problems.push('no migration files found')
  return problems.length > 0 ? E.left(problems) : E.right(migrations)
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_]+)\s*\}\}/g

/**
 * Replaces the `{{name}}` placeholders of a T-SQL text with validated values. A placeholder without a value is an
 * error, so that no `{{...}}` reaches SQL Server.
 */
export const fillPlaceholders = (sql: string, values: Readonly<Record<string, string>>): E.Either<string, string> => {
  const missing = new Set<string>()
  const filled = sql.replace(PLACEHOLDER, (whole, name: string) => {
    const value = values[name]
    if (value === undefined) {
      missing.add(name)
      return whole
    }
    return value
  })
  return missing.size > 0
    ? E.left(`unknown placeholder(s): ${[...missing].map((n) => `{{${n}}}`).join(', ')}`)
    : E.right(filled)
}

/** A migration's text for one schema. */
export const renderMigration = (migration: Migration, schema: SchemaName): E.Either<string, string> =>
  E.mapLeft((problem: string) => `migration ${migration.version} (${migration.name}): ${problem}`)(
    fillPlaceholders(migration.sql, { schema }),
  )

/**
 * Splits a script into the batches SQL Server runs one by one, at lines holding only `GO` (sqlcmd's separator; not
 * T-SQL, so the adapter splits itself). Empty batches are dropped.
 */
export const splitBatches = (sql: string): readonly string[] =>
  sql
    .split(/^[ \t]*GO[ \t]*;?[ \t]*\r?$/im)
    .map((batch) => batch.trim())
    .filter((batch) => batch.replace(/^\s*--.*$/gm, '').trim() !== '')
