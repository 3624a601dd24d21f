/** A promise raced against a timer: the value if it came in time, `Late` otherwise (the work goes on). */
export type Timed<A> = { readonly _tag: 'InTime'; readonly value: A } | { readonly _tag: 'Late' }

export const withinDeadline = async <A>(work: Promise<A>, ms: number): Promise<Timed<A>> => {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<Timed<A>>((resolve) => {
    timer = setTimeout(() => resolve({ _tag: 'Late' }), Math.max(0, ms))
  })
  try {
    return await Promise.race([work.then((value): Timed<A> => ({ _tag: 'InTime', value })), late])
  } finally {
    clearTimeout(timer)
  }
}
