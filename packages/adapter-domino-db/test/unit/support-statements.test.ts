import { expect } from 'chai'
import type { JournalQuery } from '@domino-sm/core'
import { supportStatements } from '@domino-sm/adapter-domino-db/internals'
import type { SchemaName } from '@domino-sm/adapter-domino-db'

const statements = supportStatements('sm' as SchemaName)

/** The select list of a journal query: the text between SELECT TOP (@page) and FROM. */
const selectList = (query: JournalQuery): string => {
  const text = statements.searchJournal(query).text
  const match = /^SELECT TOP \(@page\) ([\s\S]*?)\nFROM /.exec(text)
  if (match?.[1] === undefined) throw new Error(`no select list in: ${text}`)
  return match[1]
}

describe('the journal query of the SQL Server store', () => {
  it('selects no body without bodies: only whether one is kept (an order history of hundreds of large bodies sends none of them)', () => {
    for (const query of [
      { originalOrderId: 'H1', limit: 100, withBodies: false },
      { originalOrderId: 'H1', afterId: 4711, limit: 100, withBodies: false },
      { ids: [1], outcomes: ['failed'], forReview: true, limit: 10, withBodies: false },
    ] satisfies JournalQuery[]) {
      const list = selectList(query)
      expect(list, JSON.stringify(query)).to.contain('CAST(NULL AS NVARCHAR(MAX)) AS raw_body')
      expect(list.replace('CASE WHEN j.raw_body IS NULL THEN 0 ELSE 1 END', ''), JSON.stringify(query)).to.not.contain(
        'j.raw_body',
      )
    }
  })

  it('selects the body when bodies are asked for', () => {
    expect(selectList({ ids: [1], limit: 1, withBodies: true })).to.contain('j.raw_body,')
  })

  it("pages an order's history by key and id, oldest first, at most the page", () => {
    const statement = statements.searchJournal({ originalOrderId: 'H1', afterId: 4711, limit: 100, withBodies: false })
    expect(statement.text).to.contain('j.original_order_id = @original_order_id')
    expect(statement.text).to.contain('j.id > @after_id')
    expect(statement.text.trimEnd().endsWith('ORDER BY j.id;')).to.equal(true)
    expect(statement.params.map((p) => [p.name, p.value])).to.deep.equal([
      ['page', 100],
      ['original_order_id', 'H1'],
      ['after_id', 4711],
    ])
  })
})
