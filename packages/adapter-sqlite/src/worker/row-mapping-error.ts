/**
 * A row that cannot be an order or a journal entry (a value the schema allows but the domain does not).
 * `message` names the table and column only, never a value: the row may hold customer data.
 */
export class RowMappingError extends Error {
  override readonly name = 'RowMappingError'
}
