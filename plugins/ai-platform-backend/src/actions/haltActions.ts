import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { aiPlatformPipelineHaltPermission } from '@aiplatform/plugin-ai-platform-common';
import { GovernanceService } from '../governance/GovernanceService';
import {
  answer,
  describeWithExamples,
  pipelineRefFromInput,
} from './actionInputs';
import { haltStateSchema, pipelineInput } from './schemas';

/**
 * `halt-pipeline` and `resume-pipeline`:
 * `POST /pipelines/:namespace/:name/halt` and `.../resume`, through the
 * same GovernanceService call (permission, service subjects, reason, audit).
 */
export function registerHaltActions(
  registry: ActionsRegistryService,
  governance: GovernanceService,
) {
  for (const halted of [true, false]) {
    const verb = halted ? 'halt' : 'resume';
    const examples = [
      halted
        ? {
            title: 'Halt kb-answers while its answers are wrong',
            input: {
              pipeline: 'aipipeline:default/kb-answers',
              reason: 'answer quality fell below 0.8',
            },
          }
        : {
            title: 'Resume kb-answers once fixed',
            input: {
              pipeline: 'aipipeline:default/kb-answers',
              reason: 'index rebuilt, quality back at 0.92',
            },
          },
    ];
    if (!halted) {
      examples.push({
        title: 'Resume kb-answers although the SLO that halted it still fails',
        input: {
          pipeline: 'aipipeline:default/kb-answers',
          reason: 'the SLO measures a retired dataset; fixed in the next release',
          override: true,
        } as (typeof examples)[number]['input'],
      });
    }
    registry.register({
      name: `${verb}-pipeline`,
      title: halted ? 'Halt pipeline' : 'Resume pipeline',
      description: describeWithExamples(
        `${
          halted
            ? 'Halts an AI pipeline: marks it halted (its health becomes halted) and lets the halt enforcers stop what serves it'
            : 'Resumes a halted AI pipeline: clears the halt and undoes what the halt enforcers did'
        }, recording who did it and why in the audit log. Say why in reason (up to 2000 characters).
Needs the ${
          aiPlatformPipelineHaltPermission.name
        } permission; a service may ${verb} only if its subject is listed in aiPlatform.governance.serviceSubjects.${
          halted
            ? ''
            : ' A pipeline its policy (spec.governance.haltOn) halted stays halted while that SLO still fails, unless override is true.'
        } The same as POST /api/ai-platform/pipelines/:namespace/:name/${verb}; answers the pipeline's halt state.`,
        examples,
      ),
      attributes: { destructive: true, readOnly: false, idempotent: false },
      examples,
      schema: {
        input: z =>
          z.object({
            pipeline: pipelineInput(z),
            reason: z
              .string()
              .describe(
                halted
                  ? 'Why it is halted, e.g. "accuracy below threshold"'
                  : 'Why it may run again',
              ),
            ...(halted
              ? {}
              : {
                  override: z
                    .boolean()
                    .optional()
                    .describe(
                      'Resume although the SLO that halted it by policy still fails (audited)',
                    ),
                }),
          }),
        output: z => haltStateSchema(z),
      },
      action: ({ input, credentials, logger }) =>
        answer(logger, () =>
          governance.setHalted(
            pipelineRefFromInput(input.pipeline),
            halted,
            { reason: input.reason, override: input.override },
            credentials,
          ),
        ),
    });
  }
}
