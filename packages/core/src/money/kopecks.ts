import type * as E from 'fp-ts/lib/Either.js'
import { formatScaledDecimal, parseScaledDecimal, type DecimalProblem } from './scaled-decimal.js'

declare const KopecksBrand: unique symbol

/** An amount of roubles in minor units (1 rouble = 100 kopecks), always an exact integer. */
export type Kopecks = number & { readonly [KopecksBrand]: 'Kopecks' }

/** Parses "129.90", "500" or 129.9 into 12990 kopecks; never goes through float arithmetic. */
export const parseKopecks = (input: unknown): E.Either<DecimalProblem, Kopecks> =>
  parseScaledDecimal(input, 2) as E.Either<DecimalProblem, Kopecks>

/** Kopecks as roubles text: 12990 -> "129.9". */
export const formatKopecks = (amount: Kopecks): string => formatScaledDecimal(amount, 2)
