import * as E from 'fp-ts/lib/Either.js'
import { sameMigration, type Migration } from './migration-files.js'

/** A migration as recorded in `schema_migration`. */
export interface AppliedMigration {
  readonly version: number
  readonly name: string
  readonly checksum: string
}

/** What the database holds before migrating. */
export interface SchemaState {
  readonly schemaExists: boolean
  /** Objects (tables, sequences, ...) in the schema; a schema a DBA created empty for the hook has none. */
  readonly objectCount: number
  /** `undefined` when there is no `schema_migration` table. */
  readonly applied: readonly AppliedMigration[] | undefined
}

const label = (m: { readonly version: number; readonly name: string }): string =>
  `${String(m.version).padStart(4, '0')}_${m.name}`

/** Checks that the applied migrations are the shipped ones, in order: 1..n, same names, same checksums. */
const checkApplied = (
  schema: string,
  shipped: readonly Migration[],
  applied: readonly AppliedMigration[],
): string[] => {
  const problems: string[] = []
  applied.forEach((record, i) => {
    if (record.version !== i + 1) {
      problems.push(
        `schema ${schema}: the applied migrations are not 1..n in order (found ${label(record)} at position ${i + 1}); refusing to guess`,
      )
      return
    }
    const ship = shipped[i]
    if (ship === undefined) {
      problems.push(
        `schema ${schema}: migration ${label(record)} is applied but this build does not ship it (a newer build migrated this database)`,
      )
    } else if (ship.name !== record.name || !sameMigration(ship, record.checksum)) {
      problems.push(
        `schema ${schema}: migration ${label(record)} as applied differs from ${label(ship)} as shipped (name or checksum); a migration was edited after it was applied`,
      )
    }
  })
  return problems
}

/**
 * The migrations to apply, in order, or why not. Refuses every state it cannot explain: a non-empty schema without
 * the migrations table, applied versions with gaps, an applied migration this build does not ship (a newer build
 * migrated), and an applied migration whose checksum differs from the shipped file (it was edited afterwards).
 */
export const planMigrations = (
  schema: string,
  shipped: readonly Migration[],
  state: SchemaState,
): E.Either<readonly string[], readonly Migration[]> => {
  if (state.applied === undefined) {
    if (state.schemaExists && state.objectCount > 0) {
      return E.left([
        `schema ${schema} exists and holds ${state.objectCount} object(s) but no schema_migration table: it was not made by this tool; ` +
          'refusing to migrate it (choose another DOMINO_DB_SCHEMA, or have a DBA look at it)',
      ])
    }
    return E.right(shipped)
  }
  const problems = checkApplied(schema, shipped, state.applied)
  return problems.length > 0 ? E.left(problems) : E.right(shipped.slice(state.applied.length))
}

/**
 * Whether `serve` may use the schema: every shipped migration applied, unchanged. Migrations newer than this build
 * are allowed (an older instance keeps running while a newer one is rolled out), as the migrations only add.
 */
export const checkSchemaReady = (
  schema: string,
  shipped: readonly Migration[],
  applied: readonly AppliedMigration[] | undefined,
): E.Either<string, void> => {
  if (applied === undefined) {
    // OBJECT_ID answers NULL both when the table is missing and when the login may not see it.
    return E.left(
      `schema ${schema} is not migrated, or the login lacks SELECT on ${schema}.schema_migration: ` +
        'run `domino-sbermarket-hook migrate` with an administrator login, then the script `domino-sbermarket-hook grants` prints',
    )
  }
  const known = applied.filter((record) => record.version <= shipped.length)
  const problems = checkApplied(schema, shipped, known)
  if (problems.length > 0) return E.left(problems.join('; '))
  if (known.length < shipped.length) {
    return E.left(
      `schema ${schema} is at migration ${known.length} but this build needs ${shipped.length}: run \`domino-sbermarket-hook migrate\` with an administrator login`,
    )
  }
  return E.right(undefined)
}
