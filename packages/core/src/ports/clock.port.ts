/** The time, as the domain sees it; tests fix it. */
export interface Clock {
  readonly now: () => Date
}
