import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import { renderConsumerGrantScript, renderGrantScript, type SchemaName } from '@domino-sm/adapter-domino-db'
import { fillConsumerGrantScript, fillGrantScript, splitBatches } from '@domino-sm/adapter-domino-db/internals'

describe('grants script', () => {
  it("makes the hook's user a member of the hook's role and grants the role exactly the DML it uses, UPDATE on the sequence, EXECUTE on the hook’s four procedures, and no DDL", async () => {
    const rendered = await renderGrantScript('sm' as SchemaName)
    if (E.isLeft(rendered)) throw new Error(rendered.left)
    const grants = rendered.right.split('\n').filter((line) => line.startsWith('GRANT'))
    expect(grants).to.deep.equal([
      'GRANT SELECT, INSERT, UPDATE ON OBJECT::[sm].[order_header] TO [sm_hook];',
      'GRANT SELECT, INSERT, DELETE ON OBJECT::[sm].[order_line] TO [sm_hook];',
      'GRANT SELECT, INSERT, DELETE ON OBJECT::[sm].[pending_update] TO [sm_hook];',
      'GRANT UPDATE ([raw_body]) ON OBJECT::[sm].[pending_update] TO [sm_hook];',
      'GRANT SELECT, INSERT ON OBJECT::[sm].[journal] TO [sm_hook];',
      'GRANT UPDATE ([event_type], [original_order_id], [raw_body], [outcome], [http_status], [duration_ms], [detail]) ON OBJECT::[sm].[journal] TO [sm_hook];',
      'GRANT SELECT, INSERT ON OBJECT::[sm].[order_change] TO [sm_hook];',
      'GRANT SELECT ON OBJECT::[sm].[change_consumer] TO [sm_hook];',
      'GRANT SELECT, INSERT ON OBJECT::[sm].[order_change_key] TO [sm_hook];',
      'GRANT SELECT ON OBJECT::[sm].[schema_migration] TO [sm_hook];',
      'GRANT UPDATE ON OBJECT::[sm].[domino_number_seq] TO [sm_hook];',
      'GRANT EXECUTE ON OBJECT::[sm].[hook_duplicate_create] TO [sm_hook];',
      'GRANT EXECUTE ON OBJECT::[sm].[hook_read_for_update] TO [sm_hook];',
      'GRANT EXECUTE ON OBJECT::[sm].[hook_status_write] TO [sm_hook];',
      'GRANT EXECUTE ON OBJECT::[sm].[hook_probe_create] TO [sm_hook];',
      'GRANT EXECUTE ON OBJECT::[sm].[hook_read_state_for_update] TO [sm_hook];',
    ])
    expect(rendered.right).to.contain('ALTER ROLE [sm_hook] ADD MEMBER [SberMarketOrdersHook];')
    const code = rendered.right
      .replace(/--.*$/gm, '')
      .replace('ALTER ROLE [sm_hook] ADD MEMBER [SberMarketOrdersHook];', '')
    expect(code).to.not.match(/\b(ALTER|CONTROL|CREATE TABLE|db_owner|db_ddladmin|sp_addrolemember)\b/i)
    expect(code).to.not.contain('{{')
    expect(splitBatches(rendered.right)).to.have.length(3)
  })

  it('renders for another schema and user, and refuses a user name that could break out of brackets', () => {
    const rendered = fillGrantScript(
      'GRANT SELECT ON OBJECT::[{{schema}}].[journal] TO [{{hook_user}}];',
      'sm_x' as SchemaName,
      'hook_test',
    )
    expect(rendered).to.deep.equal(E.right('GRANT SELECT ON OBJECT::[sm_x].[journal] TO [hook_test];'))
    expect(E.isLeft(fillGrantScript('x', 'sm' as SchemaName, 'a]; DROP USER b; --'))).to.equal(true)
  })

  it("grants a consumer's login, through the consumers' role, EXECUTE on take_order_changes and SELECT on the order tables, and nothing more", async () => {
    const rendered = await renderConsumerGrantScript('sm' as SchemaName, 'DominoAssemblyJob')
    if (E.isLeft(rendered)) throw new Error(rendered.left)
    const grants = rendered.right.split('\n').filter((line) => line.startsWith('GRANT'))
    expect(grants).to.deep.equal([
      'GRANT EXECUTE ON OBJECT::[sm].[take_order_changes] TO [sm_consumer];',
      'GRANT SELECT ON OBJECT::[sm].[order_header] TO [sm_consumer];',
      'GRANT SELECT ON OBJECT::[sm].[order_line] TO [sm_consumer];',
    ])
    expect(rendered.right).to.contain(
      'CREATE USER [DominoAssemblyJob] FOR LOGIN [DominoAssemblyJob] WITH DEFAULT_SCHEMA = [sm];',
    )
    expect(rendered.right).to.contain('ALTER ROLE [sm_consumer] ADD MEMBER [DominoAssemblyJob];')
    const code = rendered.right
      .replace(/--.*$/gm, '')
      .replace('ALTER ROLE [sm_consumer] ADD MEMBER [DominoAssemblyJob];', '')
    expect(code).to.not.match(/\b(ALTER|CONTROL|DELETE|INSERT|UPDATE|db_owner|order_change|journal)\b/i)
    expect(code).to.not.contain('{{')
    expect(E.isLeft(fillConsumerGrantScript('x', 'sm' as SchemaName, 'a]; DROP USER b; --'))).to.equal(true)
  })
})
