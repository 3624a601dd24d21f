import type { Clock } from '@domino-sm/core'

/** A `Clock` that tells the time a test set, and moves only when the test moves it. */
export class FixedClock implements Clock {
  private current: Date

  constructor(start: Date = new Date('2026-05-24T09:00:00.000Z')) {
    this.current = new Date(start.getTime())
  }

  /** A copy each time, so a caller cannot move the clock by mutating what it got. */
  readonly now = (): Date => new Date(this.current.getTime())

  set(to: Date): void {
    this.current = new Date(to.getTime())
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms)
  }
}
