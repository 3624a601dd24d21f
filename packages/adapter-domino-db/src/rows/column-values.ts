import { RowShapeError } from '../driver/sql-error.js'

/** A row as mssql returns it: column name to value (BIGINT as a decimal string, BIT as boolean, DATETIMEOFFSET as Date). */
export type Row = Readonly<Record<string, unknown>>

/**
 * Cuts text to a column's length in UTF-16 code units (NVARCHAR(n) counts byte pairs), never between the two halves
 * of a surrogate pair. Only the structured columns are cut; `payload_json` keeps every value whole.
 */
export const fitText = (text: string, maxLength: number): string => {
  if (text.length <= maxLength) return text
  const cut = text.slice(0, maxLength)
  const last = cut.charCodeAt(cut.length - 1)
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut
}

/** A BIGINT (or INT) value as an exact JS number; BIGINT arrives as a string so that no digit is lost on the way. */
export const toSafeInteger = (value: unknown): number | undefined => {
  let n: number | undefined
  if (typeof value === 'number') n = value
  else if (typeof value === 'bigint') n = Number(value)
  else if (typeof value === 'string' && /^-?\d+$/.test(value)) n = Number(value)
  return n !== undefined && Number.isSafeInteger(n) && (typeof value !== 'bigint' || BigInt(n) === value)
    ? n
    : undefined
}

export const readText = (row: Row, table: string, column: string): string => {
  const value = row[column]
  if (typeof value !== 'string') throw new RowShapeError(table, column)
  return value
}

export const readOptionalText = (row: Row, table: string, column: string): string | undefined => {
  const value = row[column]
  if (value === null || value === undefined) return undefined
  if (typeof value !== 'string') throw new RowShapeError(table, column)
  return value
}

export const readInteger = (row: Row, table: string, column: string): number => {
  const n = toSafeInteger(row[column])
  if (n === undefined) throw new RowShapeError(table, column)
  return n
}

export const readOptionalInteger = (row: Row, table: string, column: string): number | undefined =>
  row[column] === null || row[column] === undefined ? undefined : readInteger(row, table, column)

export const readOptionalFlag = (row: Row, table: string, column: string): boolean | undefined => {
  const value = row[column]
  if (value === null || value === undefined) return undefined
  if (typeof value !== 'boolean') throw new RowShapeError(table, column)
  return value
}

export const readDate = (row: Row, table: string, column: string): Date => {
  const value = row[column]
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new RowShapeError(table, column)
  return new Date(value.getTime())
}

/** `{[key]: value}` when there is a value, `{}` when there is none: absent fields stay absent, never `undefined`. */
export const field = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: V }

/** `undefined` for an object with no field, so that all-NULL column groups do not become empty objects. */
export const nonEmpty = <T extends object>(value: T): T | undefined =>
  Object.keys(value).length === 0 ? undefined : value
