import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { spendQueryFromRequest } from '../shared/http/requestParams';
import { SpendService } from '../spend/SpendService';
import { answer, describeWithExamples } from './actionInputs';
import {
  ownerInput,
  spendGroupByInput,
  spendResponseSchema,
  timeInput,
} from './schemas';

/** `get-team-spend`: `GET /spend?team=...`. */
export function registerGetTeamSpendAction(
  registry: ActionsRegistryService,
  spend: SpendService,
) {
  const examples = [
    {
      title: 'What did ml-team spend on models in the last 30 days',
      input: { team: 'group:default/ml-team' },
    },
    {
      title: 'Its November spend by model, sub-teams included',
      input: {
        team: 'ml-team',
        from: '2026-11-01T00:00:00Z',
        to: '2026-12-01T00:00:00Z',
        groupBy: 'model' as const,
        includeSubteams: true,
      },
    },
  ];
  registry.register({
    name: 'get-team-spend',
    title: 'Get team spend',
    description: describeWithExamples(
      `Answers "what did my team spend on AI models?": the team's inference spend in USD over from..to (ISO 8601; default the last 30 days), broken down by team, service, model or pipeline (default team), with tokens and requests, plus requests nobody could price.
The same answer as GET /api/ai-platform/spend?team=...; needs the ai-platform.spend.read permission for the team, exactly like the route (refused otherwise).`,
      examples,
    ),
    attributes: { readOnly: true, idempotent: true, destructive: false },
    examples,
    schema: {
      input: z =>
        z.object({
          team: ownerInput(z, 'The team (Group) whose spend to read'),
          from: timeInput(z, 'Start of the range (default: 30 days before to)'),
          to: timeInput(z, 'End of the range (default: now)'),
          groupBy: spendGroupByInput(z),
          includeSubteams: z
            .boolean()
            .optional()
            .describe("Count the team's sub-teams' spend too (default false)"),
        }),
      output: z => spendResponseSchema(z),
    },
    action: ({ input, credentials, logger }) =>
      answer(logger, () =>
        spend.getSpend(spendQueryFromRequest(input, 'input'), credentials),
      ),
  });
}
