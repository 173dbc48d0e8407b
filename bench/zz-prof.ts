import { performance } from 'node:perf_hooks';
import { mockServices } from '@backstage/backend-test-utils';
import knexFactory from 'knex';
import { validateUsageBatch, toUsageRecord, parseUsageNdjson } from '@aiplatform/plugin-ai-platform-common';
import { KnexUsageStore } from '../plugins/ai-platform-backend/src/database/KnexUsageStore';
import { generateDemoUsageDay } from '../plugins/ai-platform-backend/src/demo/demoUsage';
(async () => {
  const recs = [] as any[];
  for (let d = 0; d < 30; d++) recs.push(...generateDemoUsageDay(Date.UTC(2026, 9, 1), d));
  const batch = recs.slice(0, 50000);
  const nd = batch.map(r => JSON.stringify(r)).join('\n');
  let t = performance.now(); const p = parseUsageNdjson(nd); console.log('ndjson parse+validate', (performance.now() - t).toFixed(0), 'ms', 'records' in p);
  t = performance.now(); const v = validateUsageBatch({ records: batch }); console.log('validate', (performance.now() - t).toFixed(0));
  t = performance.now(); const u = (v as any).records.map(toUsageRecord); console.log('toUsageRecord', (performance.now() - t).toFixed(0));
  const knex = knexFactory({ client: 'better-sqlite3', connection: { filename: '/tmp/zz.sqlite' }, useNullAsDefault: true });
  const store = await KnexUsageStore.create({ database: mockServices.database({ knex }) });
  t = performance.now(); await store.insertUsage(u); console.log('insert', (performance.now() - t).toFixed(0));
  await knex.destroy();
})();
