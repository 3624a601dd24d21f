import { expect } from 'chai'
import type mssql from 'mssql'
import { migrate, openDominoDbStore, type DominoDbSettings } from '@domino-sm/adapter-domino-db'
import { orderRepositoryContract } from '@domino-sm/testkit/contract'
import {
  dropSchema,
  failJournalInserts,
  warmStore,
  freshSchemaName,
  HOW_TO_RUN,
  openAdminPool,
  testServerUrl,
  testSettings,
} from './sql-server-harness.js'

const systemClock = { now: () => new Date() }
const url = testServerUrl()

if (url === undefined) {
  describe('SQL Server adapter (OrderRepository contract, migrations, round trips, budget, grants, polling)', () => {
    before(function () {
      console.log(HOW_TO_RUN)
      this.skip()
    })

    it('runs the SQL Server suite against DOMINO_DB_TEST_URL', () => {
      throw new Error('unreachable: the suite is skipped without DOMINO_DB_TEST_URL')
    })
  })
} else {
  const schema = freshSchemaName()
  // 50 concurrent creates of one key queue on its lock, each holding a pooled connection: a pool of 20, opened before
  // anything is timed (a login costs ~130 ms on the test engine), and the longest budget the hook allows.
  const settings: DominoDbSettings = testSettings(url, schema, {
    DOMINO_DB_POOL_MAX: '20',
    DOMINO_DB_POOL_MIN: '20',
    DOMINO_DB_REQUEST_TIMEOUT_MS: '3900',
  })

  describe(`SQL Server adapter on schema ${schema}`, () => {
    let admin: mssql.ConnectionPool | undefined

    before(async function () {
      this.timeout(120_000)
      admin = await openAdminPool(settings)
      const report = await migrate(settings)
      expect(report.applied).to.deep.equal([
        '0001_schema_and_migration_table',
        '0002_order_tables',
        '0003_pending_and_journal',
        '0004_retention',
        '0005_review_marks_and_marking_codes',
        '0006_request_ids_and_hook_role',
        '0007_change_queue',
        '0008_journal_replay_of',
        '0009_order_uuid',
        '0010_journal_summary_index',
        '0011_hook_procedures',
        '0012_hook_status_write',
        '0013_hook_probe_create',
        '0014_hook_procedures_guard',
        '0015_hook_read_state_for_update',
      ])
    })

    after(async function () {
      this.timeout(120_000)
      if (admin !== undefined) {
        await dropSchema(admin, schema)
        await admin.close()
      }
    })

    describe('migrate', () => {
      it('is idempotent: a second run applies nothing', async () => {
        const again = await migrate(settings)
        expect(again.applied).to.deep.equal([])
        expect(again.alreadyApplied).to.equal(15)
      })

      it('refuses to serve on a schema that is not migrated, naming both possible causes', async () => {
        const error = await openDominoDbStore(
          { ...settings, poolMin: 0, schema: testSettings(url, freshSchemaName()).schema },
          systemClock,
        ).catch((e: unknown) => e)
        expect(error).to.be.instanceOf(Error)
        expect((error as Error).message).to.contain('not migrated, or the login lacks SELECT on')
      })
    })

    orderRepositoryContract('SQL Server', async () => {
      const store = await openDominoDbStore(settings, systemClock)
      await warmStore(store.repository, settings.poolMax)
      return {
        repository: store.repository,
        close: store.close,
        failJournalInsertsOf: async (eventType) => {
          if (admin === undefined) throw new Error('no admin pool')
          await failJournalInserts(admin, schema, eventType)
        },
      }
    })
  })
}
