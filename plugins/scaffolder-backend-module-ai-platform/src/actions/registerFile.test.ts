import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRegisterFileAction } from './registerFile';
import { createTempWorkspace } from '../__testUtils__/workspace';

const CATALOG_INFO = `apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: rag-extra
spec:
  targets: [./ai-pipeline.yaml]
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: support-bot
spec:
  type: service
  lifecycle: experimental
  owner: group:default/ml-team
`;

describe('ai-platform:catalog:register-file', () => {
  let ws: Awaited<ReturnType<typeof createTempWorkspace>>;
  let gitRoot: string;
  let repo: string;
  const addLocation = jest.fn();
  let action: ReturnType<typeof createRegisterFileAction>;

  beforeEach(async () => {
    ws = await createTempWorkspace();
    gitRoot = path.join(ws.root, 'repos');
    repo = path.join(gitRoot, 'support-bot');
    await fs.mkdir(repo, { recursive: true });
    await fs.writeFile(path.join(repo, 'catalog-info.yaml'), CATALOG_INFO);
    addLocation.mockReset().mockResolvedValue({ location: {}, entities: [] });
    action = createRegisterFileAction({
      config: new ConfigReader({
        aiPlatform: { scaffolder: { localGit: { root: gitRoot } } },
      }),
      catalog: catalogServiceMock.mock({ addLocation }),
    });
  });
  afterEach(async () => {
    await ws.cleanup();
  });

  function context(input: Record<string, unknown>, isDryRun = false) {
    return {
      ...createMockActionContext({
        input: input as any,
        workspacePath: ws.workspacePath,
      }),
      isDryRun,
    };
  }

  it('registers the file as a file location with the user credentials', async () => {
    const ctx = context({ repoContentsUrl: pathToFileURL(repo).toString() });
    await action.handler(ctx);
    const target = path.join(repo, 'catalog-info.yaml');
    expect(addLocation).toHaveBeenCalledWith(
      { type: 'file', target },
      { credentials: expect.objectContaining({ principal: expect.anything() }) },
    );
    const outputs = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
    expect(outputs).toEqual({
      entityRef: 'component:default/support-bot',
      entityRefs: ['component:default/support-bot', 'location:default/rag-extra'],
      catalogInfoUrl: pathToFileURL(target).toString(),
    });
  });

  it('registers nothing in a dry run', async () => {
    await action.handler(
      context({ repoContentsUrl: pathToFileURL(repo).toString() }, true),
    );
    expect(addLocation).not.toHaveBeenCalled();
  });

  it('refuses files outside the local git root', async () => {
    for (const input of [
      { repoContentsUrl: 'file:///etc' },
      { repoContentsUrl: pathToFileURL(gitRoot).toString() },
      { repoContentsUrl: pathToFileURL(path.join(gitRoot, '..')).toString() },
      {
        repoContentsUrl: pathToFileURL(repo).toString(),
        catalogInfoPath: '/../../workspace/catalog-info.yaml',
      },
    ]) {
      await expect(action.handler(context(input))).rejects.toThrow(
        /not a repository under the local git root/,
      );
    }
    expect(addLocation).not.toHaveBeenCalled();
  });

  it('refuses a missing or broken catalog file', async () => {
    await expect(
      action.handler(
        context({
          repoContentsUrl: pathToFileURL(repo).toString(),
          catalogInfoPath: 'missing.yaml',
        }),
      ),
    ).rejects.toThrow(/No catalog file/);
    await fs.writeFile(path.join(repo, 'broken.yaml'), 'kind: [unclosed\n');
    await expect(
      action.handler(
        context({
          repoContentsUrl: pathToFileURL(repo).toString(),
          catalogInfoPath: 'broken.yaml',
        }),
      ),
    ).rejects.toThrow(/not valid YAML/);
    expect(addLocation).not.toHaveBeenCalled();
  });
});
