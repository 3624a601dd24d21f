import type * as E from 'fp-ts/lib/Either.js'
import { formatScaledDecimal, parseScaledDecimal, type DecimalProblem } from './scaled-decimal.js'

declare const QuantityBrand: unique symbol

/**
 * A line quantity in thousandths of a unit: 2 pieces -> 2000, 0.455 kg of a weighed product -> 455.
 * Three decimal places cover grams of a kilogram, the finest split a weighed product gets.
 */
export type Quantity = number & { readonly [QuantityBrand]: 'Quantity' }

/** The number of decimal places a quantity keeps. */
export const QUANTITY_SCALE = 3

export const parseQuantity = (input: unknown): E.Either<DecimalProblem, Quantity> =>
  parseScaledDecimal(input, QUANTITY_SCALE) as E.Either<DecimalProblem, Quantity>

/** Thousandths back to decimal text: 455 -> "0.455", 2000 -> "2". */
export const formatQuantity = (quantity: Quantity): string => formatScaledDecimal(quantity, QUANTITY_SCALE)
