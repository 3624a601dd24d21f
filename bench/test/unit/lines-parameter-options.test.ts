import { expect } from 'chai'
import { LinesParameterOptionError, linesParameterOptions } from '../../dist/lines-parameter-options.js'

describe('linesParameterOptions (bench/src/lines-parameter-options.ts)', () => {
  it('gives a run its defaults: orders of 5, 50 and 200 lines, 200 orders after 20, 10 in flight over a pool of 10', () => {
    expect(linesParameterOptions([])).to.deep.equal({
      lines: [5, 50, 200],
      orders: 200,
      warmupOrders: 20,
      concurrency: 10,
      pool: 10,
      rounds: 1,
    })
  })

  it('takes every option', () => {
    const args = ['--lines', '1,4000', '--orders', '3', '--warmup-orders', '0', '--concurrency', '2', '--pool', '1']
    expect(linesParameterOptions([...args, '--rounds', '2'])).to.deep.equal({
      lines: [1, 4000],
      orders: 3,
      warmupOrders: 0,
      concurrency: 2,
      pool: 1,
      rounds: 2,
    })
  })

  for (const [args, said] of [
    [['--lines', '5,,200'], '--lines must be a whole number from 1 to 4000, got ""'],
    [['--lines', '0'], '--lines must be a whole number from 1 to 4000, got "0"'],
    [['--lines', '4001'], '--lines must be a whole number from 1 to 4000, got "4001"'],
    [['--lines', '5,5'], '--lines names a size twice: "5,5"'],
    [['--orders', '2.5'], '--orders must be a whole number from 1 to'],
    [['--orders', '0'], '--orders must be a whole number from 1 to'],
    [['--warmup-orders=-1'], '--warmup-orders must be a whole number from 0 to'],
    [['--concurrency', 'many'], '--concurrency must be a whole number from 1 to'],
    [['--pool', ' '], '--pool must be a whole number from 1 to'],
    [['--rounds', '0x2'], '--rounds must be a whole number from 1 to'],
    [['--orders', '1e3'], '--orders must be a whole number from 1 to'],
    [['--duration', '3'], "Unknown option '--duration'"],
  ] as const) {
    it(`refuses ${args.join(' ')}, naming the option`, () => {
      expect(() => linesParameterOptions(args)).to.throw(LinesParameterOptionError, said)
    })
  }
})
