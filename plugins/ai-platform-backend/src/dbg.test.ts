import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { KnexGovernanceStore } from './database/KnexGovernanceStore';
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
jest.setTimeout(120000);
it('dbg', async () => {
  let resolved = 0;
  for (let i = 0; i < 100; i++) {
    const knex = await databases.init('SQLITE_3');
    const store = await KnexGovernanceStore.create({ database: mockServices.database({ knex }) });
    await store.setHalt('p', { halted: true, reason: 'r', actor: 'a', at: 1 }, { type: 'pipeline.halted', entityRef: 'p', actor: 'a', message: 'm' });
    try {
      await store.setHalt('p', { halted: false, reason: 'r', actor: 'a', at: 2 }, { type: 'pipeline.halted', entityRef: 'p', actor: null as any, message: 'm' });
      resolved++;
      if (resolved < 3) console.log('RESOLVED', i, await knex('ai_audit_events').select(), await knex('ai_pipeline_halts').select(), await knex.raw("select name, sql from sqlite_master"));
    } catch (e) { }
  }
  expect(resolved).toBe(0);
});
