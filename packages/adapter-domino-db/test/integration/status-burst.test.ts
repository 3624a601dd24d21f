import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import type { OrderRepository, OriginalOrderId } from '@domino-sm/core'
import { aStatusReported, anOrderCreated, createdReceipt, receiptFor, uniqueOrderId } from '@domino-sm/testkit'
import { burstSchema, changeRows, COPIES, POOL } from './burst-support.js'
import { countRequests } from './request-counter.js'
import { testServerUrl, warmStore } from './sql-server-harness.js'

const url = testServerUrl()

if (url !== undefined) {
  describe('SQL Server adapter: a burst of copies of one status event (SberMarket retries after a timeout)', function () {
    this.timeout(120_000)
    const setup = burstSchema(url)

    /**
     * Creates an order, then sends `COPIES` copies of one order.paid for it at once (each its own request), spread
     * over `repositories` in turn, and checks what every store must: every copy answered, the order changed once
     * (one entry applied, the rest duplicates), exactly one journal entry per request, one change row of the status
     * per consumer. `resend`: a copy answered StoreTimeout or StoreUnavailable is sent again as a new request, as
     * SberMarket's retry would be (here at once), up to 3 times; the first answers are printed, not asserted. A copy
     * the budget cut may still have committed (the T-SQL engine does not stop a batch on the client's cancel): its
     * entry then counts with the others.
     */
    const burst = async (repositories: readonly OrderRepository[], resend = false): Promise<void> => {
      const fixture = setup.fixture()
      const [first] = repositories
      if (first === undefined) throw new Error('no store')
      const key = uniqueOrderId('B')
      const created = anOrderCreated({ originalOrderId: key })
      expect(E.isRight(await first.createOrGet(created, createdReceipt(created, new Date()))())).to.equal(true)
      const paid = aStatusReported('order.paid', key)
      const send = (i: number) => {
        const receipt = receiptFor('order.paid', paid.rawBody, new Date())
        return repositories[i % repositories.length]!.applyUpdate(paid.update, receipt)().then((answer) => ({
          receipt,
          answer,
        }))
      }
      const counter = await countRequests(fixture.admin)
      let sent = await Promise.all(Array.from({ length: COPIES }, (_, i) => send(i))).finally(counter.restore)
      // Two per copy, one more per conflict: the copies that read the order before the first write committed meet it.
      const cut = (answer: (typeof sent)[number]['answer']): boolean =>
        E.isLeft(answer) && (answer.left._tag === 'StoreTimeout' || answer.left._tag === 'StoreUnavailable')
      console.log(
        `      ${COPIES} copies: ${counter.count()} requests; answered at once: ${sent.filter((s) => !cut(s.answer)).length}`,
      )
      const requests = [...sent]
      for (let round = 1; resend && round <= 3 && sent.some((s) => cut(s.answer)); round += 1) {
        sent = await Promise.all(sent.map((s, i) => (cut(s.answer) ? send(i) : Promise.resolve(s))))
        requests.push(...sent.filter((s) => !requests.includes(s)))
        console.log(`      resent, round ${round}: answered ${sent.filter((s) => !cut(s.answer)).length} of ${COPIES}`)
      }
      const failures = sent.flatMap((s) => (E.isLeft(s.answer) ? [s.answer.left._tag] : []))
      expect(failures, 'copies not answered').to.deep.equal([])
      const outcomes = sent.map((s) => (E.isRight(s.answer) ? s.answer.right.result.outcome : 'failed'))
      expect(
        outcomes.every((outcome) => outcome === 'applied' || outcome === 'duplicate'),
        'outcomes',
      ).to.equal(true)
      const order = await first.findOrder(key as OriginalOrderId)()
      expect(E.isRight(order) && O.isSome(order.right) ? order.right.value.status : undefined).to.equal('paid')
      const journal = await first.listJournal(key)()
      if (E.isLeft(journal)) throw new Error(journal.left._tag)
      const statusEntries = journal.right.filter((entry) => entry.eventType === 'order.paid')
      const ids = statusEntries.map((entry) => entry.requestId)
      expect(new Set(ids).size, 'one entry per request').to.equal(ids.length)
      const answeredIds = sent.map((s) => s.receipt.requestId)
      expect(
        answeredIds.filter((id) => !ids.includes(id)),
        'requests answered without their entry',
      ).to.deep.equal([])
      const allIds: (string | null)[] = requests.map((s) => s.receipt.requestId)
      expect(
        ids.filter((id) => !allIds.includes(id)),
        'entries of requests never sent',
      ).to.deep.equal([])
      expect(
        statusEntries.filter((entry) => entry.outcome === 'applied').length,
        'entries that applied the status',
      ).to.equal(1)
      expect(statusEntries.every((entry) => entry.httpStatus === 200)).to.equal(true)
      expect(await changeRows(fixture.admin, fixture.settings.schema, key)).to.deep.equal([
        'audit created new',
        'audit status paid',
        'erp created new',
        'erp status paid',
      ])
    }

    it(`answers ${COPIES} copies sent at once through two stores right after they opened, before any update ran on their sessions, each in the end (a copy cut by the budget sent again)`, async () => {
      // A session's first use of each statement costs the T-SQL engine 0.5-2 s of compile (serve's warm-up covers
      // the reads and the conflict's path, not every write), so on a loaded machine some first copies outlast their
      // budget; SberMarket sends those again. What must hold is what the copies and their resends leave behind.
      await burst(
        setup.stores().map((store) => store.repository),
        true,
      )
    })

    it(`answers ${COPIES} copies sent at once through one store, applies the status once and journals each`, async () => {
      // From here on every session has run each kind of operation once, as the contract suite does before it times.
      for (const store of setup.stores()) await warmStore(store.repository, POOL)
      await burst([setup.stores()[0]!.repository])
    })

    it(`answers ${COPIES} copies sent at once through two stores on one schema (two instances)`, async () => {
      await burst(setup.stores().map((store) => store.repository))
    })
  })
}
