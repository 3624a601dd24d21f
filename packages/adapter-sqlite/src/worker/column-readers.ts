import { RowMappingError } from './row-mapping-error.js'

/** A row as better-sqlite3 returns it. */
type Row = Readonly<Record<string, unknown>>

/** A TEXT column that may be NULL. Every reader throws `RowMappingError` naming the column, never the value. */
export const text = (row: Row, column: string): string | null => {
  const value = row[column]
  if (value === null || typeof value === 'string') return value
  throw new RowMappingError(`${column}: expected text`)
}

export const requiredText = (row: Row, column: string): string => {
  const value = text(row, column)
  if (value === null) throw new RowMappingError(`${column}: missing`)
  return value
}

export const integer = (row: Row, column: string): number | null => {
  const value = row[column]
  if (value === null || (typeof value === 'number' && Number.isSafeInteger(value))) return value
  throw new RowMappingError(`${column}: expected an integer`)
}

export const requiredInteger = (row: Row, column: string): number => {
  const value = integer(row, column)
  if (value === null) throw new RowMappingError(`${column}: missing`)
  return value
}

/** An ISO text column back into a Date; throws `RowMappingError` for text that is not a time. */
export const dateFromColumn = (iso: string, column: string): Date => {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) throw new RowMappingError(`${column}: not an ISO time`)
  return date
}

/** `{[key]: value}` when the column held a value, `{}` for NULL, so that absent optional fields stay absent. */
export const present = <K extends string, V>(key: K, value: V | null): { [P in K]?: V } =>
  (value === null ? {} : { [key]: value }) as { [P in K]?: V }

/** `undefined` for an object with no field, so that a group of NULL columns maps back to an absent object. */
export const unlessEmpty = <T extends object>(value: T): T | undefined =>
  Object.keys(value).length === 0 ? undefined : value
