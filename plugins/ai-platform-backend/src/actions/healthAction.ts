import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { rangeFromQuery } from '../shared/http/requestParams';
import { DashboardService } from '../signals/DashboardService';
import {
  answer,
  describeWithExamples,
  pipelineRefFromInput,
} from './actionInputs';
import { pipelineHealthSchema, pipelineInput, timeInput } from './schemas';

/** The range of `get-pipeline-health` without `from`. */
const DEFAULT_HEALTH_DAYS = 1;

/**
 * `get-pipeline-health`: the dashboard of
 * `GET /pipelines/:namespace/:name/dashboard` without its series.
 */
export function registerGetPipelineHealthAction(
  registry: ActionsRegistryService,
  dashboards: DashboardService,
) {
  const examples = [
    {
      title: 'Why is kb-answers failing (the last 24 hours)',
      input: { pipeline: 'aipipeline:default/kb-answers' },
    },
    {
      title: 'Its health over a week',
      input: {
        pipeline: 'kb-answers',
        from: '2026-11-24T00:00:00Z',
        to: '2026-12-01T00:00:00Z',
      },
    },
  ];
  registry.register({
    name: 'get-pipeline-health',
    title: 'Get pipeline health',
    description: describeWithExamples(
      `Answers "is this AI pipeline healthy, and if not why?": its health (healthy, degraded, failing, halted or unknown), an explanation for people, the suspect stage most likely behind a failure (with the signal and why), each SLO's status (ok, at-risk, breached, no-data) with attainment, error budget and burn-rate alerts, and its halt state (who halted it, when and why).
The dashboard of GET /api/ai-platform/pipelines/:namespace/:name/dashboard without the time series, over from..to (ISO 8601; default the last 24 hours up to now). Cost SLOs are left out (hiddenSignals) for callers who may not read the owner's spend.`,
      examples,
    ),
    attributes: { readOnly: true, idempotent: true, destructive: false },
    examples,
    schema: {
      input: z =>
        z.object({
          pipeline: pipelineInput(z),
          from: timeInput(
            z,
            'Start of the range (default: 24 hours before to)',
          ),
          to: timeInput(z, 'End of the range (default: now)'),
        }),
      output: z => pipelineHealthSchema(z),
    },
    action: ({ input, credentials, logger }) =>
      answer(logger, async () => {
        const ref = pipelineRefFromInput(input.pipeline);
        const range = rangeFromQuery(input, {
          defaultDays: DEFAULT_HEALTH_DAYS,
          source: 'input',
        });
        const { series: _series, ...health } = await dashboards.getDashboard(
          ref,
          range,
          credentials,
        );
        return health;
      }),
  });
}
