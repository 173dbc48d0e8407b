import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  TestDatabaseId,
  TestDatabases,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleScaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import catalogModuleAiPlatform from '@aiplatform/plugin-catalog-backend-module-ai-platform';
import catalogModuleAiPlatformLocalGit from '@aiplatform/plugin-catalog-backend-module-ai-platform-local-git';
import scaffolderModuleAiPlatformLocalGit from '@aiplatform/plugin-scaffolder-backend-module-ai-platform-local-git';
import { execFileSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'yaml';
import { scaffolderModuleAiPlatform } from '../module';
import { orgEntities, testUserInfoFactory } from '../__testUtils__/org';
import { TEMPLATES_DIR, aiPlatformConfig } from './__testUtils__/dryRun';
import {
  llmServiceValues,
  ragPipelineValues,
} from './__testUtils__/sampleValues';

jest.setTimeout(180_000);

type TaskEvent = { type: string; body: { stepId?: string; status?: string } };

// SQLite always; PostgreSQL 15 when BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING names one.
const databases = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_15'],
  disableDocker: true,
});

/**
 * Real tasks, not dry runs: the scaffolder and the catalog of one backend,
 * with the AI Platform modules of both and their local git modules (as in
 * packages/backend). The templates and the org chart come from
 * catalog file locations (as in app-config.yaml); the tasks publish to
 * local git repositories and register them as ai-platform-local-git
 * locations, which the catalog then reads.
 */
describe.each(databases.eachSupportedId())(
  'templates run as real tasks against the real catalog, on %s',
  (databaseId: TestDatabaseId) => {
    let tmp: string;
    let reposRoot: string;
    let backend: Awaited<ReturnType<typeof startTestBackend>>;
    let baseUrl: string;

    async function api(
      method: string,
      urlPath: string,
      options: { user?: string; body?: unknown } = {},
    ) {
      const res = await fetch(`${baseUrl}${urlPath}`, {
        method,
        headers: {
          'content-type': 'application/json',
          authorization: mockCredentials.user.header(
            options.user ?? 'user:default/ivan',
          ),
        },
        body:
          options.body === undefined ? undefined : JSON.stringify(options.body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    }

    async function poll<T>(
      what: string,
      fn: () => Promise<T | undefined>,
      timeoutMs = 60_000,
    ): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = await fn();
        if (value !== undefined) return value;
        if (Date.now() > deadline)
          throw new Error(`Timed out waiting for ${what}`);
        await new Promise(r => setTimeout(r, 250));
      }
    }

    const getEntity = (kindNamespaceName: string) =>
      api('GET', `/api/catalog/entities/by-name/${kindNamespaceName}`).then(r =>
        r.status === 200 ? r.body : undefined,
      );

    /** Runs a template as `user` and waits for the task to finish. */
    async function runTask(
      template: string,
      values: Record<string, unknown>,
      user?: string,
    ) {
      const created = await api('POST', '/api/scaffolder/v2/tasks', {
        user,
        body: { templateRef: `template:default/${template}`, values },
      });
      expect(created.status).toBe(201);
      const { id } = created.body;
      const task = await poll(`task ${id}`, async () => {
        const res = await api('GET', `/api/scaffolder/v2/tasks/${id}`);
        return ['completed', 'failed', 'cancelled'].includes(res.body?.status)
          ? res.body
          : undefined;
      });
      const events: TaskEvent[] = (
        await api('GET', `/api/scaffolder/v2/tasks/${id}/events`)
      ).body;
      const steps = (status: string) => [
        ...new Set(
          events.filter(e => e.body.status === status).map(e => e.body.stepId),
        ),
      ];
      // Steps that ran: every step logs 'processing' when it starts (the
      // others are reported 'skipped' when a step before them fails).
      const started = steps('processing');
      const completion = events.find(e => e.type === 'completion');
      const error =
        task.status === 'failed'
          ? (completion?.body as {
              message?: string;
              error?: { message?: string };
            })
          : undefined;
      return { id, task, steps, started, error };
    }

    beforeAll(async () => {
      tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'ai-templates-real-'));
      reposRoot = path.join(tmp, 'repos');
      await fs.mkdir(path.join(tmp, 'work'));
      const orgFile = path.join(tmp, 'org.yaml');
      await fs.writeFile(
        orgFile,
        orgEntities()
          .map(({ relations: _relations, ...entity }) => yaml.stringify(entity))
          .join('---\n'),
      );
      // A database of its own for the catalog and for the scaffolder.
      const knexes = {
        catalog: await databases.init(databaseId),
        scaffolder: await databases.init(databaseId),
      };
      backend = await startTestBackend({
        features: [
          createServiceFactory({
            service: coreServices.database,
            deps: { plugin: coreServices.pluginMetadata },
            factory: ({ plugin }) =>
              mockServices.database({
                knex: knexes[plugin.getId() as keyof typeof knexes],
              }),
          }),
          catalogPlugin,
          catalogModuleScaffolderEntityModel,
          catalogModuleAiPlatform,
          catalogModuleAiPlatformLocalGit,
          scaffolderPlugin,
          scaffolderModuleAiPlatform,
          scaffolderModuleAiPlatformLocalGit,
          testUserInfoFactory(),
          mockServices.rootConfig.factory({
            data: {
              backend: { workingDirectory: path.join(tmp, 'work') },
              // Stopping the backend waits for the task workers, so that their
              // polling does not outlive the test's databases.
              scaffolder: { EXPERIMENTAL_gracefulShutdown: true },
              catalog: {
                rules: [
                  {
                    allow: [
                      'Component',
                      'System',
                      'Resource',
                      'Location',
                      'AIPipeline',
                      'Template',
                      'Group',
                      'User',
                    ],
                  },
                ],
                locations: [
                  { type: 'file', target: orgFile },
                  ...['llm-service', 'rag-pipeline'].map(name => ({
                    type: 'file',
                    target: path.join(TEMPLATES_DIR, name, 'template.yaml'),
                  })),
                ],
              },
              aiPlatform: aiPlatformConfig({
                gatewayKind: 'envoy',
                localGitRoot: reposRoot,
              }),
            },
          }),
        ],
      });
      baseUrl = `http://localhost:${backend.server.port()}`;
      for (const ref of [
        'template/default/llm-service',
        'template/default/rag-pipeline',
        'user/default/frank',
        'group/default/data-team',
        'system/default/customer-support',
      ]) {
        await poll(ref, () => getEntity(ref));
      }
    });

    afterAll(async () => {
      await backend?.stop();
      // The scaffolder follows each task's events by polling task_events once
      // a second, and a follower stops only after its next poll: let those
      // finish before the databases are dropped (otherwise they fail the next
      // test file of this Jest worker with "Unable to acquire a connection").
      await new Promise(r => setTimeout(r, 3000));
      if (tmp) await fs.rm(tmp, { recursive: true, force: true });
    });

    it('llm-service: publishes a repository of the task and registers its catalog file, which the catalog reads', async () => {
      const run = await runTask('llm-service', {
        ...llmServiceValues,
        name: 'real-bot',
      });
      expect(run.error).toBeUndefined();
      expect(run.task.status).toBe('completed');
      expect(run.steps('completed')).toEqual([
        'check',
        'gateway',
        'fetch',
        'publish',
        'register',
      ]);

      // The commit records the task that made it.
      const repo = path.join(reposRoot, 'real-bot');
      const trailer = execFileSync(
        'git',
        [
          '-C',
          repo,
          'log',
          '-1',
          '--format=%(trailers:key=Backstage-Task,valueonly)',
        ],
        { encoding: 'utf8' },
      ).trim();
      expect(trailer).toBe(run.id);

      const entity = await poll('component real-bot', () =>
        getEntity('component/default/real-bot'),
      );
      expect(entity.spec.owner).toBe('group:default/ml-team');
      expect(
        entity.metadata.annotations['backstage.io/managed-by-location'],
      ).toBe('ai-platform-local-git:real-bot/catalog-info.yaml');
    });

    it('rag-pipeline: registers the stages and the AIPipeline, and no Location of its own', async () => {
      const run = await runTask('rag-pipeline', {
        ...ragPipelineValues,
        name: 'real-rag',
      });
      expect(run.error).toBeUndefined();
      expect(run.task.status).toBe('completed');
      const pipeline = await poll('aipipeline real-rag', () =>
        getEntity('aipipeline/default/real-rag'),
      );
      expect(
        pipeline.spec.stages.map((s: { owner: string }) => s.owner),
      ).toEqual([
        'group:default/data-team',
        'group:default/ml-team',
        'group:default/platform-team',
        'group:default/search-team',
        'group:default/ml-team',
      ]);
      await poll('component real-rag-generation', () =>
        getEntity('component/default/real-rag-generation'),
      );
      const locations = (await api('GET', '/api/catalog/locations')).body
        .map((l: { data: { type: string; target: string } }) => l.data)
        .filter((l: { target: string }) => l.target.startsWith('real-rag/'));
      expect(
        locations.map((l: { type: string; target: string }) => [
          l.type,
          l.target,
        ]),
      ).toEqual([
        ['ai-platform-local-git', 'real-rag/catalog-info.yaml'],
        ['ai-platform-local-git', 'real-rag/ai-pipeline.yaml'],
      ]);
    });

    it('a non-member is refused at the check step: no later step starts, no repository, nothing registered', async () => {
      const run = await runTask(
        'llm-service',
        { ...llmServiceValues, name: 'franks-attempt' },
        'user:default/frank',
      );
      expect(run.task.status).toBe('failed');
      expect(run.steps('failed')).toEqual(['check']);
      expect(run.started).toEqual(['check']);
      expect(run.steps('skipped')).toEqual([
        'gateway',
        'fetch',
        'publish',
        'register',
      ]);
      expect(JSON.stringify(run.error)).toMatch(
        /user:default\/frank may not act for owner 'group:default\/ml-team'/,
      );
      expect(existsSync(path.join(reposRoot, 'franks-attempt'))).toBe(false);
      expect(
        await getEntity('component/default/franks-attempt'),
      ).toBeUndefined();
    });

    it('an unknown owner is refused at the check step, naming the field', async () => {
      const run = await runTask('rag-pipeline', {
        ...ragPipelineValues,
        name: 'ghost-rag',
        indexOwner: 'group:default/ghost-team',
      });
      expect(run.task.status).toBe('failed');
      expect(run.started).toEqual(['check']);
      expect(JSON.stringify(run.error)).toMatch(
        /Unknown indexOwner 'group:default\/ghost-team'/,
      );
      expect(existsSync(path.join(reposRoot, 'ghost-rag'))).toBe(false);
    });
  },
);
