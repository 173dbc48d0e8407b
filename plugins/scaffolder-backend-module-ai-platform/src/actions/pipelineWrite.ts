import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  AI_PIPELINE_API_VERSION,
  AI_PIPELINE_KIND,
  formatValidationIssues,
  validateAIPipelineEntity,
} from '@aiplatform/plugin-ai-platform-common';
import { OwnerAccessChecker } from '@aiplatform/plugin-ai-platform-node';
import path from 'node:path';
import yaml from 'yaml';
import { assertDnsLabel, writeWorkspaceFiles } from './util';

/** @public */
export const PIPELINE_WRITE_ACTION_ID = 'ai-platform:pipeline:write';

/**
 * Creates the `ai-platform:pipeline:write` action: writes an AIPipeline
 * entity (stages, their owners, SLOs) after validating it exactly as the
 * catalog's AIPipeline processor will, and after checking that the user may
 * act for its accountable owner and that its system and stage owners exist
 * (stage owners may be other teams: a pipeline crosses teams by design).
 *
 * @public
 */
export function createPipelineWriteAction(options: {
  access: OwnerAccessChecker;
}) {
  const { access } = options;
  return createTemplateAction({
    id: PIPELINE_WRITE_ACTION_ID,
    description:
      'Writes an AIPipeline catalog entity with its stages, stage owners and end-to-end SLOs, validated as the catalog will validate it (field named on error). The user must be allowed to act for the accountable owner; the system and every stage owner must exist in the catalog.',
    supportsDryRun: true,
    examples: [
      {
        description: 'A two-stage RAG pipeline with an end-to-end SLO',
        example: yaml.stringify({
          steps: [
            {
              id: 'pipeline',
              action: PIPELINE_WRITE_ACTION_ID,
              name: 'Write the AIPipeline',
              input: {
                name: 'docs-answers',
                owner: 'group:default/ml-team',
                type: 'rag',
                lifecycle: 'experimental',
                stages: [
                  {
                    name: 'ingestion',
                    type: 'data-ingestion',
                    owner: 'group:default/data-team',
                    entityRef: 'component:default/docs-answers-ingestion',
                  },
                  {
                    name: 'generation',
                    type: 'serving',
                    owner: 'group:default/ml-team',
                    dependsOn: ['ingestion'],
                  },
                ],
                slos: [
                  {
                    name: 'answer-freshness',
                    signal: 'freshness',
                    objective: { op: '<=', threshold: 21600 },
                    target: 0.99,
                  },
                ],
              },
            },
          ],
        }),
      },
    ],
    schema: {
      input: {
        name: z =>
          z.string().describe('Pipeline name (a Kubernetes DNS-1123 label)'),
        title: z => z.string().optional().describe('Display title'),
        description: z => z.string().optional().describe('Description'),
        owner: z =>
          z.string().describe('Owner of the whole pipeline (a Group ref)'),
        system: z => z.string().optional().describe('System entity ref'),
        type: z => z.string().describe('Pipeline type, e.g. rag'),
        lifecycle: z =>
          z.string().describe('Lifecycle, e.g. experimental or production'),
        stages: z =>
          z
            .array(z.record(z.string(), z.unknown()))
            .min(1)
            .describe(
              'Stages: { name, type, owner?, entityRef?, dependsOn?, title?, outputs?, metrics? }',
            ),
        slos: z =>
          z
            .array(z.record(z.string(), z.unknown()))
            .optional()
            .describe(
              'SLOs: { name, signal, stage?, objective: { op, threshold }, target, window? }',
            ),
        monthlyBudgetUsd: z =>
          z.number().nonnegative().optional().describe('Monthly budget (USD)'),
        targetPath: z =>
          z
            .string()
            .optional()
            .describe('Workspace directory for the file (default: .)'),
        fileName: z =>
          z
            .string()
            .optional()
            .describe('File name (default: ai-pipeline.yaml)'),
      },
      output: {
        entityRef: z => z.string().describe('Ref of the AIPipeline entity'),
        filePath: z =>
          z.string().describe('Workspace-relative path of the written file'),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const targetPath = input.targetPath ?? '.';
      const fileName = input.fileName ?? 'ai-pipeline.yaml';

      // All checks happen before anything is written.
      assertDnsLabel(input.name);
      if (path.basename(fileName) !== fileName || !fileName.endsWith('.yaml')) {
        throw new InputError(
          `Invalid fileName '${fileName}': must be a plain file name ending in .yaml`,
        );
      }
      resolveSafeChildPath(ctx.workspacePath, path.join(targetPath, fileName));

      const entity = {
        apiVersion: AI_PIPELINE_API_VERSION,
        kind: AI_PIPELINE_KIND,
        metadata: {
          name: input.name,
          ...(input.title ? { title: input.title } : {}),
          ...(input.description ? { description: input.description } : {}),
        },
        spec: {
          type: input.type,
          lifecycle: input.lifecycle,
          owner: input.owner,
          ...(input.system ? { system: input.system } : {}),
          stages: input.stages,
          ...(input.slos?.length ? { slos: input.slos } : {}),
          ...(input.monthlyBudgetUsd !== undefined
            ? { budget: { monthlyUsd: input.monthlyBudgetUsd } }
            : {}),
        },
      };
      const result = validateAIPipelineEntity(entity);
      if (!result.valid) {
        throw new InputError(
          `Invalid AIPipeline '${input.name}': ${formatValidationIssues(
            result.issues,
          )}`,
        );
      }

      await access.assertMayActFor(
        input.owner,
        await ctx.getInitiatorCredentials(),
      );
      if (input.system) {
        await access.getSystem(input.system);
      }
      for (const [i, stage] of input.stages.entries()) {
        if (stage.owner !== undefined) {
          await access.getOwner(stage.owner, `stages[${i}].owner`);
        }
      }

      await writeWorkspaceFiles(ctx.workspacePath, targetPath, {
        [fileName]: yaml.stringify(entity),
      });
      const filePath = path.posix.join(targetPath, fileName);
      ctx.logger.info(
        `Wrote AIPipeline ${input.name} with ${input.stages.length} stages to ${filePath}`,
      );
      ctx.output('entityRef', `aipipeline:default/${input.name}`);
      ctx.output('filePath', filePath);
    },
  });
}
