/** The status every order operation that commits in time answers (docs/contract.md §2): 200, with or without a body. */
export const ANSWERED_IN_TIME = 200
/** What a request answered at the deadline gets (docs/contract.md §2: the database is too slow). */
export const ANSWERED_LATE = 503
