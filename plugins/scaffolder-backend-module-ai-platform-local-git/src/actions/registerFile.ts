import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  LOCAL_GIT_LOCATION_TYPE,
  checkCatalogFilePath,
  parseGeneratedCatalogFile,
  readLocalGitRoot,
  resolveLocalGitTarget,
} from '@aiplatform/plugin-catalog-backend-module-ai-platform-local-git';
import git from 'isomorphic-git';
import fs, { promises as fsp } from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { resolveInsideRoot, toFileUrl } from './localGitRoot';
import { readRepositoryTask } from './localGitTask';

/**
 * The id of the action that registers the catalog files of a local git
 * repository of the same task.
 *
 * @public
 */
export const REGISTER_FILE_ACTION_ID = 'ai-platform:catalog:register-file';

const DEFAULT_CATALOG_FILE = '/catalog-info.yaml';

/** A catalog file to register: its path in the repository and its location. */
type CatalogFile = { file: string; target: string };

function catalogFiles(
  repoName: string,
  input: { catalogInfoPath?: string; catalogInfoPaths?: string[] },
): CatalogFile[] {
  if (input.catalogInfoPath !== undefined && input.catalogInfoPaths) {
    throw new InputError('Give catalogInfoPath or catalogInfoPaths, not both');
  }
  const paths = input.catalogInfoPaths ?? [
    input.catalogInfoPath ?? DEFAULT_CATALOG_FILE,
  ];
  const field = input.catalogInfoPaths ? 'catalogInfoPaths' : 'catalogInfoPath';
  if (paths.length === 0) {
    throw new InputError('catalogInfoPaths must name at least one file');
  }
  const files = paths.map((p, i) =>
    checkCatalogFilePath(p, input.catalogInfoPaths ? `${field}[${i}]` : field, {
      leadingSlash: true,
    }),
  );
  return [...new Set(files)].map(file => ({
    file,
    target: `${repoName}/${file}`,
  }));
}

const refOf = (entity: Entity) => stringifyEntityRef(entity);

function example(description: string, input: Record<string, unknown>) {
  return {
    description,
    example: yaml.stringify({
      steps: [
        {
          id: 'register',
          action: REGISTER_FILE_ACTION_ID,
          name: 'Register',
          input: {
            repoContentsUrl: '${{ steps.publish.output.repoContentsUrl }}',
            ...input,
          },
        },
      ],
    }),
  };
}

/**
 * Creates the `ai-platform:catalog:register-file` action: registers the
 * catalog files of the repository that `ai-platform:publish:local-git`
 * created in the same task, as `ai-platform-local-git` locations.
 *
 * It registers only what the template generated: the repository must be
 * directly under the local git root and its commit must record this task;
 * each file must lie inside the repository, be committed, be unchanged in
 * the working tree and hold only entities (a `Location` or a `$` placeholder
 * is refused). The locations are added with the credentials of the user who
 * runs the template, so the catalog's permissions still decide whether that
 * user may register locations. A dry run checks the files the publish step
 * would commit (from the workspace) and registers nothing. The local git
 * root is `aiPlatform.localGit.root` (required).
 *
 * @public
 */
export function createRegisterFileAction(options: {
  config: Config;
  catalog: CatalogService;
}) {
  const { catalog } = options;
  const root = readLocalGitRoot(options.config);

  return createTemplateAction({
    id: REGISTER_FILE_ACTION_ID,
    description:
      'Registers the catalog files of the repository ai-platform:publish:local-git created in the same task (ai-platform-local-git locations under aiPlatform.localGit.root). Only files inside that repository, as committed, holding only entities: a Location document or a $ placeholder is refused. Use catalog:register with a URL in production.',
    supportsDryRun: true,
    examples: [
      example('Register what the local publish step created', {
        catalogInfoPath: '/catalog-info.yaml',
      }),
      example('Register two catalog files of the repository', {
        catalogInfoPaths: ['/catalog-info.yaml', '/ai-pipeline.yaml'],
      }),
    ],
    schema: {
      input: {
        repoContentsUrl: z =>
          z
            .string()
            .describe(
              'file:// URL of the repository the publish step created, directly under the local git root',
            ),
        catalogInfoPath: z =>
          z
            .string()
            .optional()
            .describe('Path of the catalog file (default: /catalog-info.yaml)'),
        catalogInfoPaths: z =>
          z
            .array(z.string())
            .optional()
            .describe('Paths of several catalog files, each registered'),
      },
      output: {
        entityRef: z =>
          z.string().describe('The first entity of the first file'),
        entityRefs: z =>
          z.array(z.string()).describe('Every entity of the files'),
        catalogInfoUrl: z =>
          z.string().describe('file:// URL of the first file'),
        locations: z =>
          z
            .array(z.string())
            .describe(
              'The registered locations, ai-platform-local-git:<target>',
            ),
      },
    },
    async handler(ctx) {
      const repoPath = resolveInsideRoot(root, ctx.input.repoContentsUrl);
      const repoName = path.relative(root, repoPath);
      if (repoName.includes(path.sep)) {
        throw new InputError(
          `Invalid repoContentsUrl '${ctx.input.repoContentsUrl}': must be a repository directly under the local git root`,
        );
      }
      const files = catalogFiles(repoName, ctx.input);
      const entities: Entity[] = [];
      const location = (target: string) => ({
        type: LOCAL_GIT_LOCATION_TYPE,
        target,
      });

      if (ctx.isDryRun) {
        // No repository exists in a dry run: check what would be committed.
        for (const { file, target } of files) {
          let content: Buffer;
          try {
            content = await fsp.readFile(
              resolveSafeChildPath(ctx.workspacePath, file),
            );
          } catch {
            throw new InputError(`No catalog file ${file} in the workspace`);
          }
          entities.push(
            ...parseGeneratedCatalogFile(content, location(target)),
          );
        }
        ctx.logger.info(
          `Dry run: would register ${files
            .map(f => f.target)
            .join(', ')}: ${entities.map(refOf).join(', ')}`,
        );
      } else {
        const realRoot = await fsp.realpath(root);
        const realRepo = await fsp.realpath(repoPath).catch(() => undefined);
        if (!realRepo) {
          throw new InputError(
            `No repository '${repoName}' in the local git root`,
          );
        }
        if (realRepo !== path.join(realRoot, repoName)) {
          throw new NotAllowedError(
            `Repository '${repoName}' resolves outside the local git root`,
          );
        }
        const { commit, taskId } = await readRepositoryTask(repoPath);
        if (!commit || taskId !== ctx.task.id) {
          throw new NotAllowedError(
            `Repository '${repoName}' was not published by this task; register-file registers only the repository its own task published`,
          );
        }
        for (const { file, target } of files) {
          let committed: Buffer;
          try {
            const { blob } = await git.readBlob({
              fs,
              dir: repoPath,
              oid: commit,
              filepath: file,
            });
            committed = Buffer.from(blob);
          } catch {
            throw new InputError(
              `No catalog file ${file} in commit ${commit.slice(
                0,
                7,
              )} of '${repoName}'`,
            );
          }
          entities.push(
            ...parseGeneratedCatalogFile(committed, location(target)),
          );
          // The catalog reads the working tree: it must be the commit.
          const onDisk = await resolveLocalGitTarget(root, target)
            .then(real => fsp.readFile(real))
            .catch(error => {
              if (error.code === 'ENOENT') {
                throw new ConflictError(
                  `${file} is missing from the working tree of '${repoName}'; not registered`,
                );
              }
              throw error;
            });
          if (!onDisk.equals(committed)) {
            throw new ConflictError(
              `${file} in '${repoName}' differs from its commit; not registered`,
            );
          }
        }
        const credentials = await ctx.getInitiatorCredentials();
        // Every file through the catalog's own processing first, so a
        // refusal registers nothing.
        for (const { target } of files) {
          await catalog.addLocation(
            { ...location(target), dryRun: true },
            { credentials },
          );
        }
        for (const { target } of files) {
          await catalog.addLocation(location(target), { credentials });
        }
        ctx.logger.info(
          `Registered ${files
            .map(f => `${LOCAL_GIT_LOCATION_TYPE}:${f.target}`)
            .join(', ')}: ${entities.map(refOf).join(', ')}`,
        );
      }

      ctx.output('entityRef', refOf(entities[0]));
      ctx.output('entityRefs', entities.map(refOf));
      ctx.output(
        'catalogInfoUrl',
        toFileUrl(path.join(repoPath, files[0].file)),
      );
      ctx.output(
        'locations',
        files.map(f => `${LOCAL_GIT_LOCATION_TYPE}:${f.target}`),
      );
    },
  });
}
