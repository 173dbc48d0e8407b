import { mockCredentials } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { validateAIPipelineEntity } from '@aiplatform/plugin-ai-platform-common';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { createPipelineWriteAction } from './pipelineWrite';
import { createTempWorkspace } from '../__testUtils__/workspace';
import { testAccessChecker } from '../__testUtils__/org';

describe('ai-platform:pipeline:write', () => {
  const action = createPipelineWriteAction({ access: testAccessChecker() });
  let ws: Awaited<ReturnType<typeof createTempWorkspace>>;

  beforeEach(async () => {
    ws = await createTempWorkspace();
  });
  afterEach(async () => {
    await ws.cleanup();
  });

  const input = {
    name: 'docs-answers',
    owner: 'group:default/ml-team',
    type: 'rag',
    lifecycle: 'experimental',
    stages: [
      {
        name: 'ingestion',
        type: 'data-ingestion',
        owner: 'group:default/data-team',
        entityRef: 'component:default/docs-answers-ingestion',
      },
      {
        name: 'generation',
        type: 'serving',
        owner: 'group:default/ml-team',
        dependsOn: ['ingestion'],
      },
    ],
    slos: [
      {
        name: 'answer-freshness',
        signal: 'freshness',
        objective: { op: '<=', threshold: 21600 },
        target: 0.99,
      },
    ],
    monthlyBudgetUsd: 300,
  };

  function context(
    values: Record<string, unknown>,
    isDryRun = false,
    user = 'user:default/ivan',
  ) {
    return {
      ...createMockActionContext({
        input: values as any,
        workspacePath: ws.workspacePath,
      }),
      getInitiatorCredentials: async () => mockCredentials.user(user),
      isDryRun,
    };
  }

  it('has an id, dry-run support and examples', () => {
    expect(action.id).toBe('ai-platform:pipeline:write');
    expect(action.supportsDryRun).toBe(true);
    expect(action.examples?.length).toBe(1);
  });

  it('writes a valid AIPipeline and returns its ref', async () => {
    for (const isDryRun of [false, true]) {
      const ctx = context(input, isDryRun);
      await action.handler(ctx);
      const doc = yaml.parse(
        await fs.readFile(
          path.join(ws.workspacePath, 'ai-pipeline.yaml'),
          'utf8',
        ),
      );
      expect(validateAIPipelineEntity(doc).valid).toBe(true);
      expect(doc.spec.stages.map((s: { owner: string }) => s.owner)).toEqual([
        'group:default/data-team',
        'group:default/ml-team',
      ]);
      expect(doc.spec.budget).toEqual({ monthlyUsd: 300 });
      expect((ctx.output as jest.Mock).mock.calls).toEqual([
        ['entityRef', 'aipipeline:default/docs-answers'],
        ['filePath', 'ai-pipeline.yaml'],
      ]);
    }
  });

  it('refuses an invalid pipeline naming the field, writing nothing', async () => {
    const ctx = context({
      ...input,
      stages: [
        input.stages[0],
        { ...input.stages[1], dependsOn: ['embedding'], owner: 'system:x' },
      ],
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      /spec\.stages\[1\]\.dependsOn\[0\].*spec\.stages\[1\]\.owner|spec\.stages\[1\]\.owner.*spec\.stages\[1\]\.dependsOn\[0\]/,
    );
    expect(await ws.listFiles()).toEqual([]);
  });

  it('refuses an invalid name, file name or target path, writing nothing', async () => {
    await expect(
      action.handler(context({ ...input, name: 'Docs_Answers' })),
    ).rejects.toThrow(/Invalid name 'Docs_Answers'/);
    await expect(
      action.handler(context({ ...input, fileName: '../x.yaml' })),
    ).rejects.toThrow(/Invalid fileName/);
    await expect(
      action.handler(context({ ...input, targetPath: '../outside' })),
    ).rejects.toThrow(/outside/i);
    expect(await ws.listFiles()).toEqual([]);
  });

  it('refuses an accountable owner the user may not act for, in a dry run too, writing nothing', async () => {
    for (const isDryRun of [false, true]) {
      // Frank is in data-team only; the pipeline is ml-team's.
      await expect(
        action.handler(context(input, isDryRun, 'user:default/frank')),
      ).rejects.toThrow(
        expect.objectContaining({
          name: 'NotAllowedError',
          message: expect.stringContaining(
            "user:default/frank may not act for owner 'group:default/ml-team'",
          ),
        }),
      );
    }
    expect(await ws.listFiles()).toEqual([]);
  });

  it('lets stage owners be other teams, but refuses an unknown one or an unknown system, naming the field', async () => {
    // Frank's own pipeline with an ml-team stage: allowed.
    await action.handler(
      context(
        { ...input, owner: 'group:default/data-team' },
        false,
        'user:default/frank',
      ),
    );
    await fs.rm(path.join(ws.workspacePath, 'ai-pipeline.yaml'));

    await expect(
      action.handler(
        context({
          ...input,
          stages: [
            input.stages[0],
            { ...input.stages[1], owner: 'group:default/ghost-team' },
          ],
        }),
      ),
    ).rejects.toThrow(
      "Unknown stages[1].owner 'group:default/ghost-team': there is no such Group or User in the catalog",
    );
    await expect(
      action.handler(context({ ...input, system: 'system:default/nope' })),
    ).rejects.toThrow(/^Unknown system 'system:default\/nope'/);
    expect(await ws.listFiles()).toEqual([]);
  });
});
