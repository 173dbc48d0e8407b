import { useApi } from '@backstage/core-plugin-api';
import { HaltState } from '@aiplatform/plugin-ai-platform-common';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import useAsync from 'react-use/esm/useAsync';
import { aiPlatformApiRef } from '../../api/AiPlatformApi';
import { ACTOR_KINDS } from '../../lib/entityRefs';
import { EntityRefOrText } from '../EntityRefOrText';
import {
  enforcementSummary,
  hasUnfinishedEnforcement,
} from './enforcementSummary';

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

/** Who halted a pipeline, when and why, as one sentence; then what was enforced. */
export function HaltDetails(props: { halt: HaltState }) {
  return (
    <>
      <HaltSentence halt={props.halt} />
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
 */
export function PipelineHaltAlert(props: { namespace: string; name: string }) {
  const { namespace, name } = props;
  const api = useApi(aiPlatformApiRef);
  const { value } = useAsync(
    () => api.getHaltState(namespace, name),
    [api, namespace, name],
  );
  if (!value?.halted) return null;
  return (
    <Alert severity="error" sx={{ mb: 2 }} data-testid="halt-alert">
      <AlertTitle>This pipeline is halted</AlertTitle>
      <HaltDetails halt={value} />
    </Alert>
  );
}
