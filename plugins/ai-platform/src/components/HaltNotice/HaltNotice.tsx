import { useApi } from '@backstage/core-plugin-api';
import { HaltState } from '@aiplatform/plugin-ai-platform-common';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import useAsync from 'react-use/esm/useAsync';
import { aiPlatformApiRef } from '../../api/AiPlatformApi';
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

/** Who halted a pipeline, when and why, as one sentence. */
export function HaltDetails(props: { halt: HaltState }) {
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
