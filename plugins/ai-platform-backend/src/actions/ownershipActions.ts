import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { ownerFromQuery } from '../shared/http/requestParams';
import { OwnershipService } from '../ownership/OwnershipService';
import {
  answer,
  describeWithExamples,
  pipelineRefFromInput,
} from './actionInputs';
import {
  ownerInput,
  ownershipReportSchema,
  pipelineInput,
  pipelineOwnershipSchema,
} from './schemas';

const READ_ONLY = { readOnly: true, idempotent: true, destructive: false };

/** `get-pipeline-ownership`: `GET /pipelines/:namespace/:name/ownership`. */
export function registerGetPipelineOwnershipAction(
  registry: ActionsRegistryService,
  ownership: OwnershipService,
) {
  const examples = [
    {
      title: 'Who owns kb-answers and each of its stages',
      input: { pipeline: 'aipipeline:default/kb-answers' },
    },
  ];
  registry.register({
    name: 'get-pipeline-ownership',
    title: 'Get pipeline ownership',
    description: describeWithExamples(
      `Answers "who owns this AI pipeline?": the pipeline's owner, each stage's effective owner (the owner of the stage's catalog entity, else the stage's inline owner), the dependencies between stages, the ownership findings (unowned stages, unknown owners, missing entities, owner mismatches, missing SLOs, hand-offs between teams) and the entities that consume the pipeline with their owners.
The same answer as GET /api/ai-platform/pipelines/:namespace/:name/ownership, for the pipelines the caller may see in the catalog.`,
      examples,
    ),
    attributes: READ_ONLY,
    examples,
    schema: {
      input: z => z.object({ pipeline: pipelineInput(z) }),
      output: z => pipelineOwnershipSchema(z),
    },
    action: ({ input, credentials, logger }) =>
      answer(logger, () =>
        ownership.getPipelineOwnership(
          pipelineRefFromInput(input.pipeline),
          credentials,
        ),
      ),
  });
}

/** `list-ownership-gaps`: `GET /ownership/report`. */
export function registerListOwnershipGapsAction(
  registry: ActionsRegistryService,
  ownership: OwnershipService,
) {
  const examples = [
    { title: 'Every ownership gap in the catalog', input: {} },
    {
      title: 'The gaps of the pipelines ml-team and its sub-teams own',
      input: { team: 'group:default/ml-team' },
    },
  ];
  registry.register({
    name: 'list-ownership-gaps',
    title: 'List ownership gaps',
    description: describeWithExamples(
      `Lists the ownership findings of AI pipelines: for each pipeline with findings, its owner and the findings (code, severity error|warning|info, the stage it is about, a message). Error findings are gaps nobody answers for: unowned-stage, unknown-owner, missing-entity. Optionally only the pipelines a team (Group, with its sub-groups) or a user owns.
The items of GET /api/ai-platform/ownership/report?owner=..., all of them (not paginated), for the pipelines the caller may see in the catalog.`,
      examples,
    ),
    attributes: READ_ONLY,
    examples,
    schema: {
      input: z =>
        z.object({
          team: ownerInput(
            z,
            'Only the pipelines this Group (and its sub-groups) or User owns',
          ).optional(),
        }),
      output: z => ownershipReportSchema(z),
    },
    action: ({ input, credentials, logger }) =>
      answer(logger, () =>
        ownership.getOwnershipReport(
          ownerFromQuery('team', input.team, 'input'),
          credentials,
        ),
      ),
  });
}
