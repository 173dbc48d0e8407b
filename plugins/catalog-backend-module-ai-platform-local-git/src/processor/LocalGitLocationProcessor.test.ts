import {
  TestDatabaseId,
  TestDatabases,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { LOCAL_GIT_LOCATION_TYPE } from '../localGitCatalog';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { catalogModuleAiPlatformLocalGit } from '../module';

jest.setTimeout(60_000);

// SQLite always; PostgreSQL 15 when BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING names one.
const databases = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_15'],
  disableDocker: true,
});

function component(name: string, extra = '') {
  return `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
spec:
  type: service
  lifecycle: experimental
  owner: group:default/ml-team
${extra}`;
}

const LOCATION_DOC = `---
apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: sneaky
spec:
  type: ai-platform-local-git
  targets: [support-bot/catalog-info.yaml]
`;

/** A local git root with generated repositories, and files outside it. */
async function createRoot() {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'local-git-catalog-'));
  const root = path.join(tmp, 'repos');
  const write = async (file: string, content: string) => {
    await fs.mkdir(path.dirname(path.join(tmp, file)), { recursive: true });
    await fs.writeFile(path.join(tmp, file), content);
  };
  await write('repos/support-bot/catalog-info.yaml', component('support-bot'));
  await write(
    'repos/rag/catalog-info.yaml',
    `${component('rag-ingestion')}---\n${component('rag-retrieval')}`,
  );
  await write(
    'repos/chained/catalog-info.yaml',
    `${component('chained')}${LOCATION_DOC}`,
  );
  await write(
    'repos/placeholder/catalog-info.yaml',
    component('placeholder', '  description:\n    $text: /etc/passwd\n'),
  );
  await write('repos/broken/catalog-info.yaml', 'kind: [unclosed\n');
  // A valid entity outside the root, reachable only through symlinks.
  await write('outside/catalog-info.yaml', component('outside'));
  await fs.symlink(
    path.join(tmp, 'outside', 'catalog-info.yaml'),
    path.join(root, 'support-bot', 'link.yaml'),
  );
  await fs.symlink(path.join(tmp, 'outside'), path.join(root, 'escape'));
  return { tmp, root };
}

describe.each(databases.eachSupportedId())(
  'ai-platform-local-git locations in the real catalog, on %s',
  (databaseId: TestDatabaseId) => {
    let tmp: string;
    let backend: Awaited<ReturnType<typeof startTestBackend>>;
    let baseUrl: string;

    beforeAll(async () => {
      ({ tmp } = await createRoot());
      const knex = await databases.init(databaseId);
      backend = await startTestBackend({
        features: [
          catalogPlugin,
          catalogModuleAiPlatformLocalGit,
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              aiPlatform: { localGit: { root: path.join(tmp, 'repos') } },
              catalog: {
                rules: [{ allow: ['Component', 'Location'] }],
                processingInterval: { seconds: 1 },
              },
            },
          }),
        ],
      });
      baseUrl = `http://localhost:${backend.server.port()}/api/catalog`;
    });

    afterAll(async () => {
      await backend?.stop();
      await fs.rm(tmp, { recursive: true, force: true });
    });

    async function addLocation(
      type: string,
      target: string,
      dryRun = true,
    ): Promise<{ status: number; body: any }> {
      const res = await fetch(
        `${baseUrl}/locations${dryRun ? '?dryRun=true' : ''}`,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: mockCredentials.user.header(),
          },
          body: JSON.stringify({ type, target }),
        },
      );
      return { status: res.status, body: await res.json() };
    }

    const names = (body: any) =>
      (body.entities ?? []).map((e: any) => `${e.kind}:${e.metadata.name}`);

    it('reads the entities of a generated catalog file inside the root', async () => {
      const one = await addLocation(
        LOCAL_GIT_LOCATION_TYPE,
        'support-bot/catalog-info.yaml',
      );
      expect(one.status).toBe(201);
      expect(names(one.body)).toEqual([
        expect.stringMatching(/^Location:generated-/),
        'Component:support-bot',
      ]);
      const two = await addLocation(
        LOCAL_GIT_LOCATION_TYPE,
        'rag/catalog-info.yaml',
      );
      expect(two.status).toBe(201);
      expect(names(two.body).slice(1).sort()).toEqual([
        'Component:rag-ingestion',
        'Component:rag-retrieval',
      ]);
    });

    it('puts a registered file in the catalog', async () => {
      const res = await addLocation(
        LOCAL_GIT_LOCATION_TYPE,
        'support-bot/catalog-info.yaml',
        false,
      );
      expect(res.status).toBe(201);
      // The catalog processes the new location in the background.
      let entity: any;
      for (let i = 0; i < 100 && !entity; i++) {
        const got = await fetch(
          `${baseUrl}/entities/by-name/component/default/support-bot`,
          { headers: { authorization: mockCredentials.user.header() } },
        );
        if (got.status === 200) entity = await got.json();
        else await new Promise(r => setTimeout(r, 300));
      }
      expect(entity?.metadata.annotations).toMatchObject({
        'backstage.io/managed-by-location':
          'ai-platform-local-git:support-bot/catalog-info.yaml',
      });
    });

    it.each([
      [
        'a parent segment',
        '../outside/catalog-info.yaml',
        /may not contain empty, "\." or "\.\." segments/,
      ],
      [
        'an absolute path',
        path.join(os.tmpdir(), 'x', 'catalog-info.yaml'),
        /must be a relative path/,
      ],
      [
        'a file symlinked out of the root',
        'support-bot/link.yaml',
        /resolves outside the local git root/,
      ],
      [
        'a directory symlinked out of the root',
        'escape/catalog-info.yaml',
        /resolves outside the local git root/,
      ],
      [
        'a file that is not YAML',
        'support-bot/catalog-info.json',
        /must be a \.yaml or \.yml file/,
      ],
      ['a missing file', 'nothing/catalog-info.yaml', /does not exist/],
    ])('refuses %s', async (_case, target, message) => {
      const res = await addLocation(LOCAL_GIT_LOCATION_TYPE, target);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
      expect(res.body.error.message).not.toMatch(/Component:outside/);
    });

    it('refuses a file with a Location document, and nothing of it is read', async () => {
      const res = await addLocation(
        LOCAL_GIT_LOCATION_TYPE,
        'chained/catalog-info.yaml',
      );
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(
        /document 2 \(Location sneaky\) is a Location/,
      );
    });

    it('refuses a placeholder and a file that does not parse', async () => {
      const placeholder = await addLocation(
        LOCAL_GIT_LOCATION_TYPE,
        'placeholder/catalog-info.yaml',
      );
      expect(placeholder.status).toBe(400);
      expect(placeholder.body.error.message).toMatch(
        /has the placeholder spec\.description\.\$text/,
      );
      const broken = await addLocation(
        LOCAL_GIT_LOCATION_TYPE,
        'broken/catalog-info.yaml',
      );
      expect(broken.status).toBe(400);
      expect(broken.body.error.message).toMatch(/YAML error/);
    });

    it('refuses file locations through the catalog API', async () => {
      const res = await addLocation(
        'file',
        path.join(tmp, 'outside', 'catalog-info.yaml'),
      );
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(
        /Registered locations must be of an allowed type \["url","ai-platform-local-git"\]/,
      );
    });
  },
);
