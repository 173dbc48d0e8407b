import {
  DryRunResponse,
  startScaffolder,
  stepsWithStatus,
} from './__testUtils__/dryRun';
import {
  llmServiceValues,
  ragPipelineValues,
  vllmValues,
} from './__testUtils__/sampleValues';

jest.setTimeout(120_000);

const FRANK = 'user:default/frank'; // data-team only
const ALICE = 'user:default/alice'; // platform-team, an admin group

/**
 * Refused: the run failed with the checker's error and generated nothing. (A
 * failed dry run reports no step log; realRun.test.ts shows on real tasks
 * that no later step starts.)
 */
function expectRefused(
  res: DryRunResponse,
  status: number,
  message: string | RegExp,
) {
  expect(res.status).toBe(status);
  expect(res.body.error?.message).toMatch(message);
  expect(res.body.directoryContents).toBeUndefined();
}

function expectRun(res: DryRunResponse) {
  expect(res.body.error).toBeUndefined();
  expect(res.status).toBe(200);
  expect(stepsWithStatus(res, 'completed')).toEqual(
    expect.arrayContaining(['check', 'fetch', 'publish', 'register']),
  );
}

describe('templates act only for owners the user may act for (dry runs through the scaffolder)', () => {
  let scaffolder: Awaited<ReturnType<typeof startScaffolder>>;

  beforeAll(async () => {
    scaffolder = await startScaffolder();
  });

  afterAll(async () => {
    await scaffolder?.stop();
  });

  describe('llm-service', () => {
    it('refuses a team the user is not a member of, naming the owner, before anything is written', async () => {
      const res = await scaffolder.dryRun('llm-service', llmServiceValues, {
        user: FRANK,
      });
      expectRefused(
        res,
        403,
        "user:default/frank may not act for owner 'group:default/ml-team': not a member of it or of a group above it",
      );
      expect(res.body.error?.name).toBe('NotAllowedError');
    });

    it("runs for the user's own team, with that team's models", async () => {
      expectRun(
        await scaffolder.dryRun(
          'llm-service',
          {
            ...llmServiceValues,
            owner: 'group:default/data-team',
            models: ['gpt-4o-mini'],
          },
          { user: FRANK },
        ),
      );
      // ...and the model allow-list is the owner's: data-team has no gpt-4o.
      const res = await scaffolder.dryRun(
        'llm-service',
        { ...llmServiceValues, owner: 'group:default/data-team' },
        { user: FRANK },
      );
      expect(res.status).toBe(400);
      expect(res.body.error?.message).toMatch(
        /^Model 'gpt-4o' is not allowed for group:default\/data-team/,
      );
    });

    it('lets a User owner be only that user', async () => {
      expectRun(
        await scaffolder.dryRun(
          'llm-service',
          {
            ...llmServiceValues,
            owner: 'user:default/frank',
            models: ['gpt-4o-mini'],
          },
          { user: FRANK },
        ),
      );
      expectRefused(
        await scaffolder.dryRun(
          'llm-service',
          { ...llmServiceValues, owner: 'user:default/ivan' },
          { user: FRANK },
        ),
        403,
        "user:default/frank may not act for owner 'user:default/ivan': a User owner is only that user",
      );
    });

    it('lets an admin (aiPlatform.adminGroups) act for any team', async () => {
      expectRun(
        await scaffolder.dryRun('llm-service', llmServiceValues, {
          user: ALICE,
        }),
      );
    });

    it('refuses an unknown owner and an unknown system with a 400 naming the field', async () => {
      expectRefused(
        await scaffolder.dryRun('llm-service', {
          ...llmServiceValues,
          owner: 'group:default/ghost-team',
        }),
        400,
        "Unknown owner 'group:default/ghost-team': there is no such Group or User in the catalog",
      );
      expectRefused(
        await scaffolder.dryRun('llm-service', {
          ...llmServiceValues,
          system: 'system:default/ghost-system',
        }),
        400,
        "Unknown system 'system:default/ghost-system': there is no such System in the catalog",
      );
      expectRefused(
        await scaffolder.dryRun('llm-service', {
          ...llmServiceValues,
          system: 'group:default/ml-team',
        }),
        400,
        "Invalid system 'group:default/ml-team': must be a System",
      );
    });

    it('needs no system', async () => {
      const { system: _system, ...values } = llmServiceValues;
      expectRun(await scaffolder.dryRun('llm-service', values));
    });
  });

  describe('model-server', () => {
    it("refuses another team's GPUs before its quota is looked at", async () => {
      // 4 more GPUs would exceed ml-team's quota (5 of 8 in use): the refusal
      // says who may not act, not how many GPUs are left.
      expectRefused(
        await scaffolder.dryRun(
          'model-server',
          { ...vllmValues, count: 4 },
          { user: FRANK },
        ),
        403,
        /^user:default\/frank may not act for owner 'group:default\/ml-team'/,
      );
    });

    it('refuses an unknown owner', async () => {
      expectRefused(
        await scaffolder.dryRun('model-server', {
          ...vllmValues,
          owner: 'ghost-team',
        }),
        400,
        /^Unknown owner 'group:default\/ghost-team'/,
      );
    });
  });

  describe('rag-pipeline', () => {
    const franksPipeline = {
      ...ragPipelineValues,
      owner: 'group:default/data-team',
      generationOwner: 'group:default/data-team',
      generationModel: 'gpt-4o-mini',
    };

    it('lets the other stage owners be other teams: a pipeline crosses teams', async () => {
      // Frank's pipeline, with stages run by ml-team, platform-team, search-team.
      const res = await scaffolder.dryRun('rag-pipeline', franksPipeline, {
        user: FRANK,
      });
      expectRun(res);
      expect(res.body.output?.entityRef).toBe('aipipeline:default/docs-qa');
    });

    it('refuses a generation owner the user may not act for: its models and budget are spent', async () => {
      expectRefused(
        await scaffolder.dryRun(
          'rag-pipeline',
          { ...franksPipeline, generationOwner: 'group:default/ml-team' },
          { user: FRANK },
        ),
        403,
        "user:default/frank may not act for generationOwner 'group:default/ml-team'",
      );
    });

    it('refuses an accountable owner the user may not act for', async () => {
      expectRefused(
        await scaffolder.dryRun(
          'rag-pipeline',
          { ...franksPipeline, owner: 'group:default/ml-platform' },
          { user: FRANK },
        ),
        403,
        "user:default/frank may not act for owner 'group:default/ml-platform'",
      );
    });

    it('refuses an unknown stage owner, naming its field', async () => {
      expectRefused(
        await scaffolder.dryRun('rag-pipeline', {
          ...ragPipelineValues,
          retrievalOwner: 'group:default/ghost-team',
        }),
        400,
        "Unknown retrievalOwner 'group:default/ghost-team': there is no such Group or User in the catalog",
      );
    });
  });
});
