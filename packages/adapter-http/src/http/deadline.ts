/** A promise raced against a timer: the value if it came in time, `Late` otherwise (the work goes on). */
export type Timed<A> = { readonly _tag: 'InTime'; readonly value: A } | { readonly _tag: 'Late' }

const LATE: Timed<never> = { _tag: 'Late' }

/**
 * The race's timer is set to whole milliseconds, rounded up, so never shorter than the time left (a store that
 * commits before `answerBy` is not answered 503 for a rounding). Why: Node keeps one timer list per distinct
 * duration, and the time left at a request's start is a fraction (`performance.now()`), so every request opened a
 * list of its own and an entry in the lists' priority queue; whole milliseconds share a few lists.
 *
 * One promise settled by whichever comes first, rather than `Promise.race` in an async function: every hook request
 * runs this once, and the race cost three promises, their reactions and an async frame more (BENCHMARKS.md, "The
 * embedded stores' pipeline, third pass"). Work that rejects rejects the result, as the race did.
 */
export const withinDeadline = <A>(work: Promise<A>, ms: number): Promise<Timed<A>> =>
  new Promise<Timed<A>>((resolve, reject) => {
    const timer = setTimeout(() => resolve(LATE), Math.max(0, Math.ceil(ms)))
    work.then(
      (value) => {
        clearTimeout(timer)
        resolve({ _tag: 'InTime', value })
      },
      (error: unknown) => {
        clearTimeout(timer)
        reject(error instanceof Error ? error : new Error(String(error)))
      },
    )
  })
