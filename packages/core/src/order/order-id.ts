declare const OriginalOrderIdBrand: unique symbol
declare const DominoNumberBrand: unique symbol

/** SberMarket's order number (`originalOrderId`, like "H1234567890"): the key of an order everywhere. */
export type OriginalOrderId = string & { readonly [OriginalOrderIdBrand]: 'OriginalOrderId' }

/** The number Domino gives the «Заказ СМ» document; answered to SberMarket on `order.created`. */
export type DominoNumber = string & { readonly [DominoNumberBrand]: 'DominoNumber' }

/** The longest order key accepted; the stores index it, so it is bounded. */
export const MAX_ORDER_ID_LENGTH = 64

/**
 * The one place that turns a store's sequence value into a Domino order number.
 * Plain decimal digits, as Domino numerators produce them; change the format here only.
 */
export const dominoNumberFromSequence = (sequence: number): DominoNumber => String(sequence) as DominoNumber
