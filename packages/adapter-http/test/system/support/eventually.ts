/**
 * Reads `read()` until `done` holds or `timeoutMs` passes, and returns the last value read. For what arrives
 * shortly after an answer: an instance writes its request log line to a pipe, which the test may read a moment
 * after the response itself.
 */
export const eventually = async <A>(
  read: () => A | Promise<A>,
  done: (value: A) => boolean,
  timeoutMs = 3000,
): Promise<A> => {
  const until = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (done(value) || Date.now() >= until) return value
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
