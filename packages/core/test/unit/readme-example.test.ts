import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import { FixedClock, InMemoryOrderRepository, orderCreatedBody, uniqueOrderId } from '@domino-sm/testkit'
import { describeBody, receiveOn } from '../examples/embed-core.js'

/** The package folder, from dist-test/unit/ where this file runs. */
const packageFile = (path: string): string =>
  readFileSync(fileURLToPath(new URL(`../../${path}`, import.meta.url)), 'utf8')

const START = '<!-- embed-core.ts: begin (test/unit/readme-example.test.ts checks this block equals the file) -->'
const END = '<!-- embed-core.ts: end -->'

describe('the embedding guide in README.md', () => {
  it('shows test/examples/embed-core.ts exactly as it is', () => {
    const readme = packageFile('README.md')
    const block = readme.slice(readme.indexOf(START) + START.length, readme.indexOf(END))
    expect(readme.indexOf(START), 'the begin marker').to.be.greaterThan(-1)
    expect(readme.indexOf(END), 'the end marker').to.be.greaterThan(readme.indexOf(START))
    expect(
      block
        .trim()
        .replace(/^```ts\n/, '')
        .replace(/\n```$/, ''),
    ).to.equal(packageFile('test/examples/embed-core.ts').trim())
  })

  it('decodes a body without a store', () => {
    expect(describeBody(orderCreatedBody({ originalOrderId: uniqueOrderId() }).body)).to.equal('reads as KnownEvent')
    expect(describeBody('{}')).to.equal('unreadable: MalformedEnvelope')
  })

  it('runs the use case on a store given to it, answering the order number', async () => {
    const receive = receiveOn(new InMemoryOrderRepository(new FixedClock(new Date())))
    const result = await receive(orderCreatedBody({ originalOrderId: uniqueOrderId() }).body)
    if (E.isLeft(result)) throw new Error(`failed: ${result.left._tag}`)
    expect(result.right.answer._tag).to.equal('OrderNumber')
    expect(result.right.facts.outcome).to.equal('created')
  })
})
