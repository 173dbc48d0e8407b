import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import {
  readLocalGitRoot,
  resolveInsideRoot,
  toFileUrl,
} from './localGitRoot';

/** @public */
export const REGISTER_FILE_ACTION_ID = 'ai-platform:catalog:register-file';

/** Refs of the entities in a catalog file, Locations last. */
function entityRefsIn(content: string, file: string): string[] {
  const refs: string[] = [];
  const locations: string[] = [];
  for (const doc of yaml.parseAllDocuments(content)) {
    if (doc.errors.length) {
      throw new InputError(`${file} is not valid YAML: ${doc.errors[0].message}`);
    }
    const entity = doc.toJS();
    if (!entity) continue;
    if (typeof entity?.kind !== 'string' || !entity?.metadata?.name) {
      throw new InputError(`${file} holds a document without kind or metadata.name`);
    }
    const ref = stringifyEntityRef({
      kind: entity.kind,
      namespace: entity.metadata.namespace,
      name: entity.metadata.name,
    });
    (entity.kind === 'Location' ? locations : refs).push(ref);
  }
  return [...refs, ...locations];
}

/**
 * Creates the `ai-platform:catalog:register-file` action: registers the
 * catalog file of a repository that `ai-platform:publish:local-git` created,
 * as a `file` location. Only files under the local git root are accepted.
 *
 * @public
 */
export function createRegisterFileAction(options: {
  config: Config;
  catalog: CatalogService;
}) {
  const { config, catalog } = options;

  return createTemplateAction({
    id: REGISTER_FILE_ACTION_ID,
    description:
      'Registers the catalog-info.yaml of a repository published by ai-platform:publish:local-git in the catalog (a file location under aiPlatform.scaffolder.localGit.root). Use catalog:register with a URL in production.',
    supportsDryRun: true,
    examples: [
      {
        description: 'Register what the local publish step created',
        example: yaml.stringify({
          steps: [
            {
              id: 'register',
              action: REGISTER_FILE_ACTION_ID,
              name: 'Register',
              input: {
                repoContentsUrl: '${{ steps.publish.output.repoContentsUrl }}',
                catalogInfoPath: '/catalog-info.yaml',
              },
            },
          ],
        }),
      },
    ],
    schema: {
      input: {
        repoContentsUrl: z =>
          z
            .string()
            .describe('file:// URL of a repository under the local git root'),
        catalogInfoPath: z =>
          z
            .string()
            .optional()
            .describe('Path of the catalog file (default: /catalog-info.yaml)'),
      },
      output: {
        entityRef: z =>
          z.string().describe('The first entity of the file (not a Location)'),
        entityRefs: z =>
          z.array(z.string()).describe('Every entity of the file'),
        catalogInfoUrl: z =>
          z.string().describe('file:// URL of the registered file'),
      },
    },
    async handler(ctx) {
      const root = readLocalGitRoot(config);
      const catalogInfoPath = (
        ctx.input.catalogInfoPath ?? '/catalog-info.yaml'
      ).replace(/^\/+/, '');
      const repoPath = resolveInsideRoot(root, ctx.input.repoContentsUrl);
      const target = resolveInsideRoot(
        repoPath,
        path.join(repoPath, catalogInfoPath),
      );
      const catalogInfoUrl = toFileUrl(target);

      if (ctx.isDryRun) {
        ctx.logger.info(`Dry run: would register ${catalogInfoUrl}`);
        ctx.output('entityRef', 'dry-run');
        ctx.output('entityRefs', []);
        ctx.output('catalogInfoUrl', catalogInfoUrl);
        return;
      }

      let content: string;
      try {
        content = await fsp.readFile(target, 'utf8');
      } catch {
        throw new InputError(`No catalog file at ${catalogInfoUrl}`);
      }
      const refs = entityRefsIn(content, catalogInfoPath);
      if (!refs.length) {
        throw new InputError(`${catalogInfoPath} holds no entity`);
      }
      await catalog.addLocation(
        { type: 'file', target },
        { credentials: await ctx.getInitiatorCredentials() },
      );
      ctx.logger.info(`Registered ${catalogInfoUrl}: ${refs.join(', ')}`);
      ctx.output('entityRef', refs[0]);
      ctx.output('entityRefs', refs);
      ctx.output('catalogInfoUrl', catalogInfoUrl);
    },
  });
}
