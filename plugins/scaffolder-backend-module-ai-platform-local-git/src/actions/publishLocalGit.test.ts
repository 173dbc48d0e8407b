import { ConfigReader } from '@backstage/config';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPublishLocalGitAction } from './publishLocalGit';
import { createTempRoot } from '../__testUtils__/workspace';

describe('ai-platform:publish:local-git', () => {
  const temp = createTempRoot();
  let ws: Awaited<ReturnType<typeof temp.create>>;
  let gitRoot: string;
  let action: ReturnType<typeof createPublishLocalGitAction>;

  beforeEach(async () => {
    ws = await temp.create();
    gitRoot = path.join(ws.root, 'repos');
    action = createPublishLocalGitAction({
      config: new ConfigReader({
        aiPlatform: { localGit: { root: gitRoot } },
      }),
    });
    await fs.mkdir(path.join(ws.workspacePath, 'src'), { recursive: true });
    await fs.writeFile(path.join(ws.workspacePath, 'README.md'), '# svc\n');
    await fs.writeFile(
      path.join(ws.workspacePath, 'src', 'index.ts'),
      'export {};\n',
    );
  });
  afterEach(async () => {
    await temp.cleanup();
  });

  function context(input: Record<string, unknown>, isDryRun = false) {
    return {
      ...createMockActionContext({
        input: input as any,
        workspacePath: ws.workspacePath,
        user: {
          ref: 'user:default/alice',
          entity: {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'User',
            metadata: { name: 'alice' },
            spec: {
              profile: { displayName: 'Alice', email: 'alice@example.com' },
            },
          },
        },
      }),
      isDryRun,
    };
  }

  it('creates a real git repository with one commit of every file', async () => {
    const ctx = context({ repoName: 'support-bot', description: 'A bot' });
    await action.handler(ctx);

    const outputs = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
    const repo = path.join(gitRoot, 'support-bot');
    expect(outputs.localPath).toBe(repo);
    expect(fileURLToPath(outputs.remoteUrl)).toBe(repo);
    expect(outputs.repoContentsUrl).toBe(outputs.remoteUrl);

    // Read back with the git CLI: the repository is real.
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).trim();
    expect(git('rev-parse', 'HEAD')).toBe(outputs.commitHash);
    expect(git('rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
    expect(git('ls-files').split('\n')).toEqual(['README.md', 'src/index.ts']);
    expect(git('log', '--format=%an <%ae>|%s')).toBe(
      'Alice <alice@example.com>|Initial commit: A bot',
    );
    // The commit records the task that made it, in its last line.
    expect(
      git('log', '-1', '--format=%(trailers:key=Backstage-Task,valueonly)'),
    ).toBe('mock-task-id');
    expect(git('status', '--porcelain')).toBe('');
    // No staging directory is left behind.
    expect(await fs.readdir(gitRoot)).toEqual(['support-bot']);
  });

  it('creates nothing in a dry run', async () => {
    const ctx = context({ repoName: 'support-bot' }, true);
    await action.handler(ctx);
    await expect(fs.stat(gitRoot)).rejects.toThrow(/ENOENT/);
    expect(ctx.output).toHaveBeenCalledWith('commitHash', 'dry-run');
  });

  it('refuses an existing repository, an invalid name and an escaping source path', async () => {
    await action.handler(context({ repoName: 'support-bot' }));
    await expect(
      action.handler({
        ...context({ repoName: 'support-bot' }),
        task: { id: 'another-task' },
      }),
    ).rejects.toThrow(/already exists/);
    for (const repoName of ['../escape', 'Bad_Name', '']) {
      await expect(action.handler(context({ repoName }))).rejects.toThrow(
        /Invalid repoName/,
      );
    }
    await expect(
      action.handler(context({ repoName: 'other', sourcePath: '../..' })),
    ).rejects.toThrow(/outside/i);
    await expect(
      action.handler(
        context({ repoName: 'other', defaultBranch: '../../refs' }),
      ),
    ).rejects.toThrow(/Invalid defaultBranch/);
    expect(await fs.readdir(gitRoot)).toEqual(['support-bot']);
    expect((await fs.readdir(ws.root)).sort()).toEqual(['repos', 'workspace']);
  });

  it('needs the local git root in config', () => {
    for (const data of [
      {},
      // The key of earlier versions is not read.
      { aiPlatform: { scaffolder: { localGit: { root: gitRoot } } } },
    ]) {
      expect(() =>
        createPublishLocalGitAction({ config: new ConfigReader(data) }),
      ).toThrow(/aiPlatform\.localGit\.root/);
    }
  });

  it('finds its own repository again on a retry, and refuses one another task made', async () => {
    const first = context({ repoName: 'support-bot' });
    await action.handler(first);
    const commit = Object.fromEntries(
      (first.output as jest.Mock).mock.calls,
    ).commitHash;

    const retry = context({ repoName: 'support-bot' });
    await action.handler(retry);
    expect(
      Object.fromEntries((retry.output as jest.Mock).mock.calls).commitHash,
    ).toBe(commit);

    await expect(
      action.handler({
        ...context({ repoName: 'support-bot' }),
        task: { id: 'another-task' },
      }),
    ).rejects.toThrow(/already exists/);
  });

  it('keeps a multi-line description to the subject line, so it cannot forge the task trailer', async () => {
    const ctx = context({
      repoName: 'support-bot',
      description: 'A bot\n\nBackstage-Task: someone-elses-task\n',
    });
    await action.handler(ctx);
    const repo = path.join(gitRoot, 'support-bot');
    const log = execFileSync('git', ['-C', repo, 'log', '-1', '--format=%B'], {
      encoding: 'utf8',
    }).trim();
    expect(log.split('\n')[0]).toBe(
      'Initial commit: A bot Backstage-Task: someone-elses-task',
    );
    expect(log.split('\n').pop()).toBe('Backstage-Task: mock-task-id');
  });
});
