import { CommonValidatorFunctions } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { ConflictError, InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import git from 'isomorphic-git';
import fs, { promises as fsp } from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { readLocalGitRoot } from '@aiplatform/plugin-catalog-backend-module-ai-platform-local-git';
import { toFileUrl } from './localGitRoot';
import { readRepositoryTask, taskTrailer } from './localGitTask';

/**
 * The id of the action that publishes the workspace to a local git repository.
 *
 * @public
 */
export const PUBLISH_LOCAL_GIT_ACTION_ID = 'ai-platform:publish:local-git';

/** Every file under `dir`, relative, with `/` separators; skips `.git`. */
async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await fsp.readdir(path.join(dir, prefix), {
    withFileTypes: true,
  })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.name === '.git') continue;
    if (entry.isDirectory()) files.push(...(await listFiles(dir, rel)));
    else if (entry.isFile()) files.push(rel);
  }
  return files.sort();
}

/** Free text on one line, without control characters. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what it removes
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
}

/**
 * Creates the `ai-platform:publish:local-git` action: publishes the workspace
 * as a new git repository with one commit, on the backend's disk under
 * `aiPlatform.localGit.root` (required). The commit's last line records the
 * task (`Backstage-Task: <task id>`), so that
 * `ai-platform:catalog:register-file` registers only what its own task
 * published, and a retried task finds its repository again. For portals
 * without a git host (the embedded demo, air-gapped trials); production uses
 * `publish:github` and friends.
 *
 * @public
 */
export function createPublishLocalGitAction(options: { config: Config }) {
  const { config } = options;
  const root = readLocalGitRoot(config);

  return createTemplateAction({
    id: PUBLISH_LOCAL_GIT_ACTION_ID,
    description:
      'Publishes the workspace as a new local git repository (a real repository with one commit) under aiPlatform.localGit.root, for portals without a git host. Use publish:github or another publisher in production.',
    supportsDryRun: true,
    examples: [
      {
        description: 'Publish the generated service to a local repository',
        example: yaml.stringify({
          steps: [
            {
              id: 'publish',
              action: PUBLISH_LOCAL_GIT_ACTION_ID,
              name: 'Publish',
              input: {
                repoName: 'support-bot',
                description: 'Support bot, created from a template',
              },
            },
          ],
        }),
      },
    ],
    schema: {
      input: {
        repoName: z =>
          z.string().describe('Repository name (a DNS-1123 label)'),
        description: z =>
          z.string().optional().describe('Used in the commit message'),
        defaultBranch: z =>
          z.string().optional().describe('Branch name (default: main)'),
        sourcePath: z =>
          z
            .string()
            .optional()
            .describe('Workspace subdirectory to publish (default: all)'),
      },
      output: {
        remoteUrl: z => z.string().describe('file:// URL of the repository'),
        repoContentsUrl: z =>
          z.string().describe('file:// URL of the repository contents'),
        localPath: z => z.string().describe('Path of the repository on disk'),
        commitHash: z => z.string().describe('The commit created'),
      },
    },
    async handler(ctx) {
      const { repoName } = ctx.input;
      const branch = ctx.input.defaultBranch ?? 'main';

      if (!CommonValidatorFunctions.isValidDnsLabel(repoName)) {
        throw new InputError(
          `Invalid repoName '${repoName}': must be a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)`,
        );
      }
      if (
        !/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(branch) ||
        branch.includes('..')
      ) {
        throw new InputError(`Invalid defaultBranch '${branch}'`);
      }
      const sourceDir = resolveSafeChildPath(
        ctx.workspacePath,
        ctx.input.sourcePath ?? '.',
      );
      const repoPath = resolveSafeChildPath(root, repoName);
      if (fs.existsSync(repoPath)) {
        const existing = await readRepositoryTask(repoPath);
        if (existing.commit && existing.taskId === ctx.task.id) {
          // A retry of the task that published it: the same repository.
          ctx.logger.info(
            `Repository ${toFileUrl(repoPath)} was published by this task`,
          );
          ctx.output('remoteUrl', toFileUrl(repoPath));
          ctx.output('repoContentsUrl', toFileUrl(repoPath));
          ctx.output('localPath', repoPath);
          ctx.output('commitHash', existing.commit);
          return;
        }
        throw new ConflictError(
          `Repository '${repoName}' already exists in the local git root; choose another name`,
        );
      }

      if (ctx.isDryRun) {
        ctx.logger.info(`Dry run: would publish to ${toFileUrl(repoPath)}`);
        ctx.output('remoteUrl', toFileUrl(repoPath));
        ctx.output('repoContentsUrl', toFileUrl(repoPath));
        ctx.output('localPath', repoPath);
        ctx.output('commitHash', 'dry-run');
        return;
      }

      const files = await listFiles(sourceDir);
      await fsp.mkdir(root, { recursive: true });
      // Build in a sibling directory and rename, so a failure leaves no repo.
      const staging = await fsp.mkdtemp(path.join(root, `.${repoName}-`));
      try {
        await fsp.cp(sourceDir, staging, {
          recursive: true,
          filter: src => path.basename(src) !== '.git',
        });
        await git.init({ fs, dir: staging, defaultBranch: branch });
        await git.add({ fs, dir: staging, filepath: files });
        const profile = (ctx.user?.entity?.spec?.profile ?? {}) as {
          displayName?: string;
          email?: string;
        };
        const author = {
          name:
            profile.displayName ??
            config.getOptionalString('aiPlatform.localGit.author.name') ??
            'Backstage Scaffolder',
          email:
            profile.email ??
            config.getOptionalString('aiPlatform.localGit.author.email') ??
            'scaffolder@backstage.local',
        };
        const commitHash = await git.commit({
          fs,
          dir: staging,
          message: `Initial commit${
            ctx.input.description ? `: ${oneLine(ctx.input.description)}` : ''
          }\n\nCreated from template ${
            ctx.templateInfo?.entityRef ?? '(unknown)'
          } by ${ctx.user?.ref ?? 'an unknown user'}.\n\n${taskTrailer(
            ctx.task.id,
          )}\n`,
          author,
        });
        await fsp.rename(staging, repoPath);
        ctx.logger.info(
          `Published ${files.length} files to ${toFileUrl(
            repoPath,
          )} (commit ${commitHash.slice(0, 7)} on ${branch})`,
        );
        ctx.output('remoteUrl', toFileUrl(repoPath));
        ctx.output('repoContentsUrl', toFileUrl(repoPath));
        ctx.output('localPath', repoPath);
        ctx.output('commitHash', commitHash);
      } catch (error) {
        await fsp.rm(staging, { recursive: true, force: true });
        throw error;
      }
    },
  });
}
