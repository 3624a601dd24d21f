/**
 * How a store fails. Every variant is answered 503, so that SberMarket retries; none carries a message meant for
 * a client. `reason` is for logs: it must not hold customer data.
 */
export type RepositoryError =
  | { readonly _tag: 'StoreUnavailable'; readonly reason: string }
  | { readonly _tag: 'StoreTimeout'; readonly reason: string }
  | { readonly _tag: 'StoreFailure'; readonly reason: string }

export const storeUnavailable = (reason: string): RepositoryError => ({ _tag: 'StoreUnavailable', reason })
export const storeTimeout = (reason: string): RepositoryError => ({ _tag: 'StoreTimeout', reason })
export const storeFailure = (reason: string): RepositoryError => ({ _tag: 'StoreFailure', reason })
