import { MAX_ORDER_ID_LENGTH } from '@domino-sm/core'

// One value per process run: suites of several runs that share a database never meet each other's keys.
const RUN = `${Date.now().toString(36)}${Math.floor(Math.random() * 36 ** 4)
  .toString(36)
  .padStart(4, '0')}`
let counter = 0

/**
 * An order key no other call in any run has made: `prefix-<run>-<n>`, at most 64 characters (the prefix is
 * shortened when it would not fit).
 */
export const uniqueOrderId = (prefix = 'T'): string => {
  counter += 1
  const suffix = `-${RUN}-${counter.toString(36)}`
  return `${prefix.slice(0, MAX_ORDER_ID_LENGTH - suffix.length)}${suffix}`
}
