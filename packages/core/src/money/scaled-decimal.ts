import * as E from 'fp-ts/lib/Either.js'

/**
 * Exact decimal arithmetic for the wire's money and quantity strings.
 *
 * SberMarket sends prices as decimal strings ("129.90") and quantities as numbers that may be fractional
 * for weighed goods. Floats would round, so both are parsed into integers scaled by a fixed power of ten.
 */

/** Why a decimal could not be parsed; `detail` is safe to show a client. */
export interface DecimalProblem {
  readonly _tag: 'DecimalProblem'
  readonly detail: string
}

const DECIMAL = /^([+-]?)(\d+)(?:[.,](\d*))?$/

const problem = (detail: string): DecimalProblem => ({ _tag: 'DecimalProblem', detail })

/**
 * Parses `input` (a decimal string, or a finite JSON number) into an integer scaled by 10^scale.
 * Rejects more fractional digits than `scale` unless they are zeros, and results beyond Number.MAX_SAFE_INTEGER.
 */
export const parseScaledDecimal = (input: unknown, scale: number): E.Either<DecimalProblem, number> => {
  let text: string
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return E.left(problem('not a finite number'))
    // Number -> shortest round-trip decimal text; exponent forms are outside any plausible price or quantity.
    text = String(input)
  } else if (typeof input === 'string') {
    text = input.trim()
  } else {
    return E.left(problem('expected a decimal string or a number'))
  }
  const match = DECIMAL.exec(text)
  if (match === null) return E.left(problem(`not a decimal number: ${JSON.stringify(truncate(text))}`))
  const sign = match[1] === '-' ? -1n : 1n
  const whole = match[2] ?? '0'
  const fraction = (match[3] ?? '').replace(/0+$/, '')
  if (fraction.length > scale)
    return E.left(problem(`more than ${scale} decimal places: ${JSON.stringify(truncate(text))}`))
  const digits = BigInt(whole + fraction.padEnd(scale, '0'))
  const value = sign * digits
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER)) {
    return E.left(problem('number too large'))
  }
  return E.right(Number(value))
}

/** Formats an integer scaled by 10^scale back into its shortest decimal text ("12990", 2 -> "129.9"). */
export const formatScaledDecimal = (value: number, scale: number): string => {
  const negative = value < 0
  const digits = Math.abs(value)
    .toString()
    .padStart(scale + 1, '0')
  const whole = digits.slice(0, digits.length - scale)
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, '')
  return `${negative ? '-' : ''}${whole}${fraction === '' ? '' : `.${fraction}`}`
}

const truncate = (text: string): string => (text.length > 40 ? `${text.slice(0, 40)}…` : text)
