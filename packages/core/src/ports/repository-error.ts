/**
 * How a store fails. None carries a message meant for a client; `reason` is for logs: it must not hold customer
 * data. The transient ones (unavailable, timeout, failure) are answered 503, so that SberMarket retries and a
 * retry can succeed by itself. `StorePermanent` is a refusal the same request meets every time (a constraint, a
 * value the column cannot hold, a conversion): it needs a person, and is answered 500 (still a 5xx, so SberMarket
 * retries rather than cancelling the order, and a fix plus a replay from the journal can still save it).
 */
export type RepositoryError =
  | { readonly _tag: 'StoreUnavailable'; readonly reason: string }
  | { readonly _tag: 'StoreTimeout'; readonly reason: string }
  | { readonly _tag: 'StoreFailure'; readonly reason: string }
  | { readonly _tag: 'StorePermanent'; readonly reason: string }

export const storeUnavailable = (reason: string): RepositoryError => ({ _tag: 'StoreUnavailable', reason })
export const storeTimeout = (reason: string): RepositoryError => ({ _tag: 'StoreTimeout', reason })
export const storeFailure = (reason: string): RepositoryError => ({ _tag: 'StoreFailure', reason })
export const storePermanent = (reason: string): RepositoryError => ({ _tag: 'StorePermanent', reason })

/** Whether a failure needs a person (the same request fails the same way again). */
export const isPermanent = (error: RepositoryError): boolean => error._tag === 'StorePermanent'
