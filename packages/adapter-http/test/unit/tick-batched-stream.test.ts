import { expect } from 'chai'
import { setTimeout as sleep } from 'node:timers/promises'
import { tickBatchedStream } from '../../dist/observability/tick-batched-stream.js'

/** A target that records what it was handed, write by write. */
const recordingTarget = () => {
  const writes: string[] = []
  let flushes = 0
  return {
    writes,
    flushes: () => flushes,
    write: (text: string): void => void writes.push(text),
    flush: (cb: (error?: Error) => void): void => {
      flushes += 1
      cb()
    },
  }
}

describe('tickBatchedStream (the log lines batched before stdout)', () => {
  it('hands the lines of one window to the target as one write, in their order, once the window ends', async () => {
    const target = recordingTarget()
    const stream = tickBatchedStream(target, 30, 1 << 20)
    stream.write('a\n')
    await sleep(5)
    stream.write('b\n')
    stream.write('c\n')
    expect(target.writes, 'nothing before the window ends').to.deep.equal([])
    await sleep(60)
    expect(target.writes).to.deep.equal(['a\nb\nc\n'])
    stream.write('d\n')
    await sleep(60)
    expect(target.writes).to.deep.equal(['a\nb\nc\n', 'd\n'])
  })

  it('writes a batch at once when it reaches its size, without waiting for the window', () => {
    const target = recordingTarget()
    const stream = tickBatchedStream(target, 60_000, 10)
    stream.write('12345\n')
    expect(target.writes).to.deep.equal([])
    stream.write('67890\n')
    expect(target.writes).to.deep.equal(['12345\n67890\n'])
    stream.write('x\n')
    stream.flush(() => undefined)
    expect(target.writes).to.deep.equal(['12345\n67890\n', 'x\n'])
  })

  it('writes what is pending on flush, then flushes the target, and leaves no timer behind', async () => {
    const target = recordingTarget()
    const stream = tickBatchedStream(target, 30, 1 << 20)
    stream.write('last\n')
    let flushed = false
    stream.flush(() => {
      flushed = true
    })
    expect(target.writes).to.deep.equal(['last\n'])
    expect(flushed).to.equal(true)
    expect(target.flushes()).to.equal(1)
    await sleep(60)
    expect(target.writes, "the window's timer wrote nothing more").to.deep.equal(['last\n'])
  })
})
