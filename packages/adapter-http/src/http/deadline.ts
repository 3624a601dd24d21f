/** A promise raced against a timer: the value if it came in time, `Late` otherwise (the work goes on). */
export type Timed<A> = { readonly _tag: 'InTime'; readonly value: A } | { readonly _tag: 'Late' }

/**
 * The race's timer is set to whole milliseconds, rounded up, so never shorter than the time left (a store that
 * commits before `answerBy` is not answered 503 for a rounding). Why: Node keeps one timer list per distinct
 * duration, and the time left at a request's start is a fraction (`performance.now()`), so every request opened a
 * list of its own and an entry in the lists' priority queue; whole milliseconds share a few lists.
 */
export const withinDeadline = async <A>(work: Promise<A>, ms: number): Promise<Timed<A>> => {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<Timed<A>>((resolve) => {
    timer = setTimeout(() => resolve({ _tag: 'Late' }), Math.max(0, Math.ceil(ms)))
  })
  try {
    return await Promise.race([work.then((value): Timed<A> => ({ _tag: 'InTime', value })), late])
  } finally {
    clearTimeout(timer)
  }
}
