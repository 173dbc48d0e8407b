import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  HaltState,
  PipelineDashboard as Dashboard,
  SignalName,
  aiPlatformSpendReadPermission,
  shortRef,
} from '@aiplatform/plugin-ai-platform-common';
import Stack from '@mui/material/Stack';
import { useCallback, useEffect, useMemo, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { aiPlatformApiRef } from '../../api/AiPlatformApi';
import { usePipelinesSignal } from '../../hooks/usePipelinesSignal';
import { RunbookSpec, bannerRunbook, runbookSpecOf } from '../../lib/runbook';
import { SIGNAL_DISPLAY } from '../../lib/signals';
import { HaltControl } from '../HaltControl';
import { HealthBanner, HealthBannerProps } from '../HealthBanner';
import { SignalCharts } from '../SignalCharts';
import { SloTable } from '../SloTable';
import {
  DEFAULT_TIME_RANGE,
  TimeRangeId,
  TimeRangePicker,
  timeRangeBounds,
} from '../TimeRangePicker';

/**
 * What the banner shows: the dashboard's own view, or, between a halt or
 * resume and the refetch that follows it, the new halt state.
 */
function bannerOf(
  dashboard: Dashboard,
  halt: HaltState | undefined,
): HealthBannerProps {
  const { health, explanation, suspect } = dashboard;
  if (!halt) return { health, explanation, suspect, halt: dashboard.halt };
  if (halt.halted) return { health: 'halted', explanation, suspect, halt };
  if (health !== 'halted') return { health, explanation, suspect, halt };
  return {
    health: 'unknown',
    explanation: 'Resumed; the health is being re-evaluated.',
    suspect,
    halt,
  };
}

/**
 * Why a signal is missing from the dashboard, for people: cost is hidden
 * from callers who may not read the owning team's spend.
 */
export function hiddenSignalNote(signal: SignalName, owner?: string): string {
  const label = SIGNAL_DISPLAY[signal]?.label ?? signal;
  if (signal !== 'cost') return `${label} is hidden for you.`;
  const whose = owner ? `${shortRef(owner)}'s` : "the owning team's";
  return `${label} is hidden: you need the ${aiPlatformSpendReadPermission.name} permission for ${whose} spend`;
}

export interface PipelineDashboardProps {
  namespace: string;
  name: string;
  /** The pipeline's owner (entity ref), named when its spend is hidden. */
  owner?: string;
  /** The pipeline's runbooks (from its entity), linked by the health banner. */
  spec?: RunbookSpec;
}

/**
 * Health, signals over time, SLOs and the halt control of one pipeline;
 * fetched again, up to now and with the current view kept meanwhile, when
 * the backend signals a halt, resume or SLO change.
 */
export function PipelineDashboard(props: PipelineDashboardProps) {
  const { namespace, name, owner, spec } = props;
  const api = useApi(aiPlatformApiRef);
  const [range, setRange] = useState<TimeRangeId>(DEFAULT_TIME_RANGE);
  const changes = usePipelinesSignal();
  // A signal moves the end of the range to now, so the refetch shows it.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const bounds = useMemo(() => timeRangeBounds(range), [range, changes]);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getDashboard(namespace, name, bounds),
    [api, namespace, name, bounds],
  );

  // A halt or resume shows at once; the refetch it triggers then takes over.
  const [haltOverride, setHaltOverride] = useState<HaltState>();
  useEffect(() => setHaltOverride(undefined), [value]);
  const onHaltChange = useCallback(
    (next: HaltState) => {
      setHaltOverride(next);
      retry();
    },
    [retry],
  );

  const banner = value && bannerOf(value, haltOverride);
  const runbook =
    banner && bannerRunbook(spec, banner.health, banner.suspect ?? null);
  const hiddenSignals = value?.hiddenSignals;
  const hidden = useMemo(
    () =>
      (hiddenSignals ?? []).map(signal => ({
        signal,
        note: hiddenSignalNote(signal, owner),
      })),
    [hiddenSignals, owner],
  );
  return (
    <Stack spacing={2}>
      {banner && <HealthBanner {...banner} runbook={runbook} />}
      <Stack
        direction="row"
        justifyContent="space-between"
        alignItems="center"
        gap={2}
      >
        <TimeRangePicker value={range} onChange={setRange} />
        {banner && (
          <HaltControl
            namespace={namespace}
            name={name}
            halt={banner.halt}
            onChange={onHaltChange}
          />
        )}
      </Stack>
      {loading && !value && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {value && (
        <>
          <InfoCard
            title="Signals"
            subheader="One line per stage, end to end in bold; dashed lines are SLO thresholds"
          >
            <SignalCharts
              series={value.series}
              slos={value.slos}
              from={value.from ?? bounds.from}
              to={value.to ?? bounds.to}
              syncId={`ai-platform-dashboard-${value.pipeline}`}
              hidden={hidden}
            />
          </InfoCard>
          <InfoCard title="Service level objectives">
            <SloTable slos={value.slos} />
          </InfoCard>
        </>
      )}
    </Stack>
  );
}

/** Entity tab of an AIPipeline: its dashboard. */
export function PipelineDashboardContent() {
  const { entity } = useEntity();
  const owner = entity.spec?.owner;
  const spec = useMemo(() => runbookSpecOf(entity.spec), [entity.spec]);
  return (
    <PipelineDashboard
      namespace={entity.metadata.namespace ?? 'default'}
      name={entity.metadata.name}
      owner={typeof owner === 'string' ? owner : undefined}
      spec={spec}
    />
  );
}
