import * as E from 'fp-ts/lib/Either.js'

declare const SchemaNameBrand: unique symbol

/**
 * A SQL Server schema name that is safe to put into T-SQL text (inside brackets): a plain identifier of ASCII letters,
 * digits and underscores, starting with a letter or underscore, at most 128 characters (sysname). Only values that
 * passed `parseSchemaName` have this type, so no other text can reach the migrations' `{{schema}}` placeholder.
 */
export type SchemaName = string & { readonly [SchemaNameBrand]: 'SchemaName' }

const PLAIN_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/

/** Schemas SQL Server owns; the hook's tables must not go there. */
const RESERVED = new Set([
  'dbo',
  'sys',
  'guest',
  'information_schema',
  'db_owner',
  'db_datareader',
  'db_datawriter',
  'db_ddladmin',
])

export const DEFAULT_SCHEMA = 'sm' as SchemaName

/** Validates a schema name; `what` names the setting in the message. */
export const parseSchemaName = (text: string, what = 'DOMINO_DB_SCHEMA'): E.Either<string, SchemaName> => {
  if (!PLAIN_IDENTIFIER.test(text)) {
    return E.left(
      `${what}: must be a plain identifier (ASCII letters, digits, _; starting with a letter or _; at most 128 characters)`,
    )
  }
  if (RESERVED.has(text.toLowerCase()))
    return E.left(`${what}: "${text}" is a system schema; choose a schema of the hook's own (default sm)`)
  return E.right(text as SchemaName)
}

/** `[schema].[object]`, the one way the code names an object of the hook's schema in T-SQL. */
export const qualified = (schema: SchemaName, object: string): string => `[${schema}].[${object}]`
