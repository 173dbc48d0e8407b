import { useApi } from '@backstage/core-plugin-api';
import {
  HaltState,
  enforcementSummary,
  hasUnfinishedEnforcement,
} from '@aiplatform/plugin-ai-platform-common';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import useAsync from 'react-use/esm/useAsync';
import { aiPlatformApiRef } from '../../api/AiPlatformApi';
import { usePipelinesSignal } from '../../hooks/usePipelinesSignal';
import { ACTOR_KINDS } from '../../lib/entityRefs';
import { EntityRefOrText } from '../EntityRefOrText';

/** An ISO timestamp for people, with the exact value kept in `dateTime`. */
export function Timestamp(props: { iso: string }) {
  const date = new Date(props.iso);
  return (
    <time dateTime={props.iso} title={props.iso}>
      {Number.isNaN(date.getTime())
        ? props.iso
        : date.toLocaleString(undefined, {
            dateStyle: 'medium',
            timeStyle: 'short',
          })}
    </time>
  );
}

/**
 * What the halt enforcers did (`halted at LiteLLM (3 keys); webhook failed:
 * 502 Bad Gateway`), on a line of its own; nothing when none acted.
 */
export function EnforcementSummary(props: { halt: HaltState }) {
  const summary = enforcementSummary(props.halt.enforcement, props.halt.halted);
  if (!summary) return null;
  return (
    <Box
      component="span"
      sx={{ display: 'block' }}
      data-testid="halt-enforcement"
    >
      {summary.charAt(0).toUpperCase() + summary.slice(1)}
      {props.halt.halted &&
        hasUnfinishedEnforcement(props.halt.enforcement) &&
        ' (retried every minute)'}
      .
    </Box>
  );
}

/**
 * Which SLO the pipeline's `spec.governance.haltOn` policy halted it on, on a
 * line of its own; nothing for a halt by a person or a service.
 */
export function HaltPolicy(props: { halt: HaltState }) {
  const { halted, policy } = props.halt;
  if (!halted || !policy?.slo) return null;
  return (
    <Box component="span" sx={{ display: 'block' }} data-testid="halt-policy">
      Halted by policy: SLO <strong>{policy.slo}</strong>
    </Box>
  );
}

/**
 * Who halted a pipeline, when and why, as one sentence; then the policy that
 * halted it, if one did, and what was enforced.
 */
export function HaltDetails(props: { halt: HaltState }) {
  return (
    <>
      <HaltSentence halt={props.halt} />
      <HaltPolicy halt={props.halt} />
      <EnforcementSummary halt={props.halt} />
    </>
  );
}

function HaltSentence(props: { halt: HaltState }) {
  const { by, at, reason } = props.halt;
  return (
    <span data-testid="halt-details">
      Halted
      {by && (
        <>
          {' '}
          by <EntityRefOrText value={by} kinds={ACTOR_KINDS} />
        </>
      )}
      {at && (
        <>
          {' '}
          on <Timestamp iso={at} />
        </>
      )}
      {reason ? (
        <>
          : <q>{reason}</q>
        </>
      ) : (
        '.'
      )}
    </span>
  );
}

/**
 * A small error alert when the pipeline is halted; nothing otherwise, nor
 * when the halt state cannot be fetched (the page around it still works).
 * Fetched again when the backend signals a halt or resume.
 */
export function PipelineHaltAlert(props: { namespace: string; name: string }) {
  const { namespace, name } = props;
  const api = useApi(aiPlatformApiRef);
  const changes = usePipelinesSignal();
  const { value } = useAsync(
    () => api.getHaltState(namespace, name),
    [api, namespace, name, changes],
  );
  if (!value?.halted) return null;
  return (
    <Alert severity="error" sx={{ mb: 2 }} data-testid="halt-alert">
      <AlertTitle>This pipeline is halted</AlertTitle>
      <HaltDetails halt={value} />
    </Alert>
  );
}
