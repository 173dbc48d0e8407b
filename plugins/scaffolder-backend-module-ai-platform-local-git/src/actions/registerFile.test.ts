import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createPublishLocalGitAction } from './publishLocalGit';
import { createRegisterFileAction } from './registerFile';
import { createTempRoot } from '../__testUtils__/workspace';

const COMPONENT = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: support-bot
spec:
  type: service
  lifecycle: experimental
  owner: group:default/ml-team
`;

const PIPELINE = `apiVersion: ai-platform.io/v1alpha1
kind: AIPipeline
metadata:
  name: support-bot-pipeline
spec:
  type: rag
  lifecycle: experimental
  owner: group:default/ml-team
  stages: [{ name: serve, type: serving }]
`;

const LOCATION = `---
apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: extra
spec:
  type: file
  targets: [/etc/passwd]
`;

describe('ai-platform:catalog:register-file', () => {
  const temp = createTempRoot();
  let ws: Awaited<ReturnType<typeof temp.create>>;
  let gitRoot: string;
  let config: ConfigReader;
  const addLocation = jest.fn();
  let action: ReturnType<typeof createRegisterFileAction>;

  beforeEach(async () => {
    ws = await temp.create();
    gitRoot = path.join(ws.root, 'repos');
    config = new ConfigReader({
      aiPlatform: { localGit: { root: gitRoot } },
    });
    addLocation.mockReset().mockResolvedValue({ location: {}, entities: [] });
    action = createRegisterFileAction({
      config,
      catalog: catalogServiceMock.mock({ addLocation }),
    });
  });
  afterEach(async () => {
    await temp.cleanup();
  });

  function context(
    input: Record<string, unknown>,
    options: { isDryRun?: boolean; taskId?: string } = {},
  ) {
    return {
      ...createMockActionContext({
        input: input as any,
        workspacePath: ws.workspacePath,
      }),
      task: { id: options.taskId ?? 'task-1' },
      getInitiatorCredentials: async () =>
        mockCredentials.user('user:default/ivan'),
      isDryRun: options.isDryRun ?? false,
    };
  }

  /** Publishes the workspace files with the real publish action, as `taskId`. */
  async function publish(
    files: Record<string, string>,
    repoName = 'support-bot',
    taskId = 'task-1',
  ) {
    for (const [file, content] of Object.entries(files)) {
      await fs.mkdir(path.dirname(path.join(ws.workspacePath, file)), {
        recursive: true,
      });
      await fs.writeFile(path.join(ws.workspacePath, file), content);
    }
    await createPublishLocalGitAction({ config }).handler(
      context({ repoName }, { taskId }) as any,
    );
    return pathToFileURL(path.join(gitRoot, repoName)).toString();
  }

  const outputsOf = (ctx: { output: unknown }) =>
    Object.fromEntries((ctx.output as jest.Mock).mock.calls);

  it('needs the local git root in config', () => {
    expect(() =>
      createRegisterFileAction({
        config: new ConfigReader({}),
        catalog: catalogServiceMock.mock(),
      }),
    ).toThrow(/aiPlatform\.localGit\.root/);
  });

  it('registers its own repository as ai-platform-local-git locations, with the user credentials, after a catalog dry run', async () => {
    const repoContentsUrl = await publish({
      'catalog-info.yaml': COMPONENT,
      'ai-pipeline.yaml': PIPELINE,
    });
    const ctx = context({
      repoContentsUrl,
      catalogInfoPaths: ['/catalog-info.yaml', 'ai-pipeline.yaml'],
    });
    await action.handler(ctx);

    const locations = [
      'support-bot/catalog-info.yaml',
      'support-bot/ai-pipeline.yaml',
    ].map(target => ({ type: 'ai-platform-local-git', target }));
    expect(addLocation.mock.calls.map(([location]) => location)).toEqual([
      ...locations.map(l => ({ ...l, dryRun: true })),
      ...locations,
    ]);
    for (const [, { credentials }] of addLocation.mock.calls) {
      expect(credentials.principal).toEqual({
        type: 'user',
        userEntityRef: 'user:default/ivan',
      });
    }
    expect(outputsOf(ctx)).toEqual({
      entityRef: 'component:default/support-bot',
      entityRefs: [
        'component:default/support-bot',
        'aipipeline:default/support-bot-pipeline',
      ],
      catalogInfoUrl: pathToFileURL(
        path.join(gitRoot, 'support-bot', 'catalog-info.yaml'),
      ).toString(),
      locations: locations.map(l => `${l.type}:${l.target}`),
    });
  });

  it('refuses a repository another task published, registering nothing', async () => {
    const repoContentsUrl = await publish(
      { 'catalog-info.yaml': COMPONENT },
      'support-bot',
      'task-of-someone-else',
    );
    await expect(
      action.handler(context({ repoContentsUrl }, { taskId: 'task-1' })),
    ).rejects.toThrow(
      expect.objectContaining({
        name: 'NotAllowedError',
        message:
          "Repository 'support-bot' was not published by this task; register-file registers only the repository its own task published",
      }),
    );
    // A repository without the trailer (made by hand) neither.
    const handMade = path.join(gitRoot, 'hand-made');
    await fs.mkdir(handMade, { recursive: true });
    await fs.writeFile(path.join(handMade, 'catalog-info.yaml'), COMPONENT);
    await expect(
      action.handler(
        context({ repoContentsUrl: pathToFileURL(handMade).toString() }),
      ),
    ).rejects.toThrow(/was not published by this task/);
    expect(addLocation).not.toHaveBeenCalled();
  });

  it('refuses a Location document, in a dry run too, registering nothing', async () => {
    const repoContentsUrl = await publish({
      'catalog-info.yaml': `${COMPONENT}${LOCATION}`,
    });
    for (const isDryRun of [false, true]) {
      await expect(
        action.handler(context({ repoContentsUrl }, { isDryRun })),
      ).rejects.toThrow(
        'ai-platform-local-git:support-bot/catalog-info.yaml: document 2 (Location extra) is a Location; a generated catalog file may only hold the entities themselves',
      );
    }
    expect(addLocation).not.toHaveBeenCalled();
  });

  it('refuses a placeholder', async () => {
    const repoContentsUrl = await publish({
      'catalog-info.yaml': `${COMPONENT}  system:\n    $text: /etc/passwd\n`,
    });
    await expect(action.handler(context({ repoContentsUrl }))).rejects.toThrow(
      /has the placeholder spec\.system\.\$text/,
    );
    expect(addLocation).not.toHaveBeenCalled();
  });

  it('refuses paths outside the repository and repositories outside the root', async () => {
    const repoContentsUrl = await publish({ 'catalog-info.yaml': COMPONENT });
    await publish({ 'catalog-info.yaml': COMPONENT }, 'other');
    for (const [input, message] of [
      [
        { repoContentsUrl, catalogInfoPath: '/../other/catalog-info.yaml' },
        /Invalid catalogInfoPath .*may not contain empty, "\." or "\.\." segments/,
      ],
      [
        {
          repoContentsUrl,
          catalogInfoPaths: ['catalog-info.yaml', 'a/../../x.yaml'],
        },
        /Invalid catalogInfoPaths\[1\]/,
      ],
      [
        { repoContentsUrl, catalogInfoPath: '/etc/passwd' },
        /must be a \.yaml or \.yml file/,
      ],
      [
        { repoContentsUrl, catalogInfoPath: 'C:\\x\\catalog-info.yaml' },
        /must be a relative path with \/ separators/,
      ],
      [
        { repoContentsUrl: 'file:///etc' },
        /not a repository under the local git root/,
      ],
      [
        { repoContentsUrl: pathToFileURL(gitRoot).toString() },
        /not a repository under the local git root/,
      ],
      [
        { repoContentsUrl: pathToFileURL(path.join(gitRoot, '..')).toString() },
        /not a repository under the local git root/,
      ],
      [
        { repoContentsUrl: `${repoContentsUrl}/src` },
        /must be a repository directly under the local git root/,
      ],
    ] as const) {
      const error = await action.handler(context(input)).catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(message);
    }
    expect(addLocation).not.toHaveBeenCalled();
  });

  it('refuses a symlinked repository, an uncommitted file and a changed working tree', async () => {
    const repoContentsUrl = await publish({ 'catalog-info.yaml': COMPONENT });
    await fs.symlink(
      path.join(gitRoot, 'support-bot'),
      path.join(gitRoot, 'alias'),
    );
    await expect(
      action.handler(
        context({
          repoContentsUrl: pathToFileURL(
            path.join(gitRoot, 'alias'),
          ).toString(),
        }),
      ),
    ).rejects.toThrow("Repository 'alias' resolves outside the local git root");

    const repo = path.join(gitRoot, 'support-bot');
    await fs.writeFile(path.join(repo, 'extra.yaml'), COMPONENT);
    await expect(
      action.handler(
        context({ repoContentsUrl, catalogInfoPath: 'extra.yaml' }),
      ),
    ).rejects.toThrow(
      /^No catalog file extra\.yaml in commit [0-9a-f]{7} of 'support-bot'$/,
    );

    await fs.writeFile(
      path.join(repo, 'catalog-info.yaml'),
      COMPONENT.replace('ml-team', 'someone-else'),
    );
    await expect(action.handler(context({ repoContentsUrl }))).rejects.toThrow(
      "catalog-info.yaml in 'support-bot' differs from its commit; not registered",
    );
    expect(addLocation).not.toHaveBeenCalled();
  });

  it('registers nothing when the catalog refuses a file in its dry run', async () => {
    const repoContentsUrl = await publish({
      'catalog-info.yaml': COMPONENT,
      'ai-pipeline.yaml': PIPELINE,
    });
    addLocation.mockImplementation(async ({ target, dryRun }) => {
      if (dryRun && target.endsWith('ai-pipeline.yaml')) {
        throw new InputError('Invalid AIPipeline');
      }
      return { location: {}, entities: [] };
    });
    await expect(
      action.handler(
        context({
          repoContentsUrl,
          catalogInfoPaths: ['/catalog-info.yaml', '/ai-pipeline.yaml'],
        }),
      ),
    ).rejects.toThrow('Invalid AIPipeline');
    expect(addLocation.mock.calls.every(([l]) => l.dryRun)).toBe(true);
  });

  it('checks the workspace files in a dry run and registers nothing', async () => {
    await fs.writeFile(
      path.join(ws.workspacePath, 'catalog-info.yaml'),
      COMPONENT,
    );
    // The publish step creates no repository in a dry run.
    const repoContentsUrl = pathToFileURL(
      path.join(gitRoot, 'support-bot'),
    ).toString();
    const ctx = context({ repoContentsUrl }, { isDryRun: true });
    await action.handler(ctx);
    expect(addLocation).not.toHaveBeenCalled();
    expect(outputsOf(ctx)).toMatchObject({
      entityRef: 'component:default/support-bot',
      locations: ['ai-platform-local-git:support-bot/catalog-info.yaml'],
    });
    await expect(
      action.handler(
        context(
          { repoContentsUrl, catalogInfoPath: 'missing.yaml' },
          { isDryRun: true },
        ),
      ),
    ).rejects.toThrow('No catalog file missing.yaml in the workspace');
  });

  it('refuses a broken catalog file', async () => {
    const repoContentsUrl = await publish({
      'broken.yaml': 'kind: [unclosed\n',
    });
    await expect(
      action.handler(
        context({ repoContentsUrl, catalogInfoPath: 'broken.yaml' }),
      ),
    ).rejects.toThrow(
      /ai-platform-local-git:support-bot\/broken\.yaml: .*YAML/,
    );
    expect(addLocation).not.toHaveBeenCalled();
  });
});
