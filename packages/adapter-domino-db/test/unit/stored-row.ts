import mssql from 'mssql'

/** A column as the adapter writes it: its name, parameter type and value (as in `ColumnSpec`). */
interface WrittenColumn<S> {
  readonly column: string
  readonly type: mssql.ISqlType
  readonly value: (source: S) => unknown
}

/**
 * What SQL Server gives back for values written through these columns, as mssql/tedious return them: BIGINT as a
 * decimal string, DATETIMEOFFSET as a new Date, BIT as boolean, NVARCHAR as the string, NULL as null.
 */
export const storedRow = <S>(
  columns: readonly WrittenColumn<S>[],
  source: S,
  extra: Record<string, unknown> = {},
): Record<string, unknown> => {
  const row: Record<string, unknown> = { ...extra }
  for (const spec of columns) {
    const value = spec.value(source)
    if (value === null || value === undefined) row[spec.column] = null
    else if (spec.type.type === mssql.BigInt)
      row[spec.column] = typeof value === 'bigint' || typeof value === 'number' ? value.toString() : value
    else if (value instanceof Date) row[spec.column] = new Date(value.getTime())
    else row[spec.column] = value
  }
  return row
}
