import { OwnerAccessChecker } from '@aiplatform/plugin-ai-platform-node';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/** @public */
export const OWNERS_CHECK_ACTION_ID = 'ai-platform:owners:check';

type Refs = Record<string, unknown> | undefined;

function entries(refs: Refs, input: string): Array<[string, unknown]> {
  if (refs === undefined) return [];
  if (refs === null || typeof refs !== 'object' || Array.isArray(refs)) {
    throw new InputError(
      `${input} must map template fields to entity refs, e.g. { owner: group:default/ml-team }`,
    );
  }
  return Object.entries(refs);
}

const normalized = (entity: Entity) =>
  stringifyEntityRef(entity).toLocaleLowerCase('en-US');

/**
 * Creates the `ai-platform:owners:check` action, the first step of the AI
 * Platform templates: before anything is written it checks that the user
 * may act for every owner whose resources the template spends, that every
 * other owner is a Group or User of the catalog and every system a System
 * of the catalog. Each refusal names the template field. Dry runs check the
 * same.
 *
 * @public
 */
export function createOwnersCheckAction(options: {
  access: OwnerAccessChecker;
}) {
  const { access } = options;

  return createTemplateAction({
    id: OWNERS_CHECK_ACTION_ID,
    description:
      'Checks the owners and systems a template names, before anything is written: the user must be a member (or an admin, aiPlatform.adminGroups) of every owner in actFor, or of a group above it; every owner in owners must be a Group or User of the catalog, every system in systems a System of the catalog (empty values are skipped). Errors name the template field.',
    supportsDryRun: true,
    examples: [
      {
        description:
          'A pipeline: the user acts for its accountable owner and the owner of its model spend; the stage owners may be other teams',
        example: yaml.stringify({
          steps: [
            {
              id: 'check',
              action: OWNERS_CHECK_ACTION_ID,
              name: 'Check owners',
              input: {
                actFor: {
                  owner: '${{ parameters.owner }}',
                  generationOwner: '${{ parameters.generationOwner }}',
                },
                owners: {
                  ingestionOwner: '${{ parameters.ingestionOwner }}',
                },
                systems: { system: '${{ parameters.system }}' },
              },
            },
          ],
        }),
      },
    ],
    schema: {
      input: {
        actFor: z =>
          z
            .record(z.string(), z.unknown())
            .optional()
            .describe(
              'Template field -> owner ref the user must be allowed to act for (its models, quota and spend)',
            ),
        owners: z =>
          z
            .record(z.string(), z.unknown())
            .optional()
            .describe(
              'Template field -> owner ref that must be a Group or User of the catalog',
            ),
        systems: z =>
          z
            .record(z.string(), z.unknown())
            .optional()
            .describe(
              'Template field -> System ref that must be in the catalog when given',
            ),
      },
      output: {
        refs: z =>
          z
            .record(z.string(), z.string())
            .describe('Template field -> the normalized entity ref'),
      },
    },
    async handler(ctx) {
      const refs: Record<string, string> = {};
      const actFor = entries(ctx.input.actFor, 'actFor');
      const owners = entries(ctx.input.owners, 'owners');
      const systems = entries(ctx.input.systems, 'systems');
      const credentials = await ctx.getInitiatorCredentials();
      for (const [field, ref] of actFor) {
        refs[field] = await access.assertMayActFor(ref, credentials, {
          field,
        });
      }
      for (const [field, ref] of owners) {
        refs[field] = normalized(await access.getOwner(ref, field));
      }
      for (const [field, ref] of systems) {
        if (ref === undefined || ref === null || ref === '') continue;
        refs[field] = normalized(await access.getSystem(ref, field));
      }
      ctx.logger.info(
        `Checked ${Object.entries(refs)
          .map(([field, ref]) => `${field} ${ref}`)
          .join(', ')}`,
      );
      ctx.output('refs', refs);
    },
  });
}
