import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  OwnershipFinding,
  OwnershipReport,
} from '@aiplatform/plugin-ai-platform-common';
import { KnexUsageStore } from '../spend/KnexUsageStore';
import { inMemoryKnex } from '../__testUtils__/createTestApp';
import { orgFixture } from '../__testUtils__/orgFixture';
import { PipelineNotifier } from '../notifications/PipelineNotifier';
import { OwnershipService } from './OwnershipService';
import { FindingWatcher } from './FindingWatcher';

const CHURN = 'aipipeline:default/churn-train';

const unowned: OwnershipFinding = {
  code: 'unowned-stage',
  severity: 'error',
  stage: 'features',
  message: 'Stage features has no owner',
};
const unknownOwner: OwnershipFinding = {
  code: 'unknown-owner',
  severity: 'error',
  stage: 'model',
  message: 'Stage model is owned by group:default/nobody, not in the catalog',
};
const warning: OwnershipFinding = {
  code: 'no-e2e-slo',
  severity: 'warning',
  message: 'No end-to-end SLO',
};

async function setup() {
  let findings: OwnershipFinding[] = [];
  const ownership = {
    getOwnershipReport: async (): Promise<OwnershipReport> => ({
      items: [{ pipeline: CHURN, owner: 'group:default/ghost-team', findings }],
      totalItems: 1,
      limit: 1,
      offset: 0,
    }),
  } as unknown as OwnershipService;
  const raised: string[] = [];
  const notifier = {
    findingRaised: async (pipeline: any, finding: OwnershipFinding) => {
      raised.push(`${pipeline.metadata.name}:${finding.code}:${finding.stage}`);
    },
  } as unknown as PipelineNotifier;
  const cursors = await KnexUsageStore.create({
    database: mockServices.database({ knex: inMemoryKnex() }),
  });
  const watcher = new FindingWatcher({
    catalog: catalogServiceMock({ entities: orgFixture() }),
    auth: mockServices.auth(),
    logger: mockServices.logger.mock(),
    ownership,
    cursors,
    notifier,
  });
  return {
    watcher,
    raised,
    setFindings: (next: OwnershipFinding[]) => {
      findings = next;
    },
  };
}

describe('FindingWatcher', () => {
  it('notifies each new error finding once while it lasts, never warnings', async () => {
    const { watcher, raised, setFindings } = await setup();
    setFindings([unowned, warning]);
    expect(await watcher.check()).toBe(1);
    expect(await watcher.check()).toBe(0);

    setFindings([unowned, unknownOwner, warning]);
    expect(await watcher.check()).toBe(1);
    expect(raised).toEqual([
      'churn-train:unowned-stage:features',
      'churn-train:unknown-owner:model',
    ]);
  });

  it('notifies again when a fixed finding returns', async () => {
    const { watcher, raised, setFindings } = await setup();
    setFindings([unowned]);
    await watcher.check();
    setFindings([]);
    expect(await watcher.check()).toBe(0);
    setFindings([unowned]);
    expect(await watcher.check()).toBe(1);
    expect(raised).toHaveLength(2);
  });
});
