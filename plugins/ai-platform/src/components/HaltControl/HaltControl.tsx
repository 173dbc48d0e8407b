import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  HaltState,
  aiPlatformPipelineHaltPermission,
  hasUnfinishedEnforcement,
} from '@aiplatform/plugin-ai-platform-common';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import Tooltip from '@mui/material/Tooltip';
import { useCallback, useState } from 'react';
import { aiPlatformApiRef } from '../../api/AiPlatformApi';
import { HaltDialog, HaltDialogOptions } from './HaltDialog';
import { EnforcementSummary } from '../HaltNotice';

/** Why the button is disabled for people without the permission. */
export const NO_PERMISSION_REASON = `You need the ${aiPlatformPipelineHaltPermission.name} permission`;

export interface HaltControlProps {
  namespace: string;
  name: string;
  halt: HaltState;
  /** Called with the new state after a halt or resume. */
  onChange: (halt: HaltState) => void;
}

/**
 * Halts a running pipeline or resumes a halted one, after asking why. Needs
 * the `ai-platform.pipeline.halt` permission; without it the button is
 * disabled and says so. After a resume it says what the enforcers restored;
 * while a halt's enforcement failed or is pending, it offers to retry it now.
 */
export function HaltControl(props: HaltControlProps) {
  const { namespace, name, halt, onChange } = props;
  const api = useApi(aiPlatformApiRef);
  const permission = usePermission({
    permission: aiPlatformPipelineHaltPermission,
  });
  const [open, setOpen] = useState(false);
  // What the dialog asks is fixed when it opens: the halt state may change
  // while it is open (a live update) or fading out after it succeeded.
  const [action, setAction] = useState<'halt' | 'resume'>(
    halt.halted ? 'resume' : 'halt',
  );
  const [policy, setPolicy] = useState(halt.policy);

  const confirm = useCallback(
    async (reason: string, options: HaltDialogOptions) => {
      const next =
        action === 'halt'
          ? await api.haltPipeline(namespace, name, reason)
          : await (options.override
              ? api.resumePipeline(namespace, name, reason, { override: true })
              : api.resumePipeline(namespace, name, reason));
      onChange(next);
    },
    [api, action, namespace, name, onChange],
  );
  const close = useCallback(() => setOpen(false), []);
  const [retrying, setRetrying] = useState(false);
  const [retryError, setRetryError] = useState<string>();
  const retry = useCallback(async () => {
    setRetrying(true);
    setRetryError(undefined);
    try {
      onChange(await api.retryHaltEnforcement(namespace, name));
    } catch (e) {
      setRetryError(`Retry failed: ${(e as Error).message}`);
    } finally {
      setRetrying(false);
    }
  }, [api, namespace, name, onChange]);
  const canRetry =
    halt.halted &&
    permission.allowed &&
    hasUnfinishedEnforcement(halt.enforcement);

  const button = (
    <Button
      variant={halt.halted ? 'contained' : 'outlined'}
      color={halt.halted ? 'primary' : 'error'}
      disabled={!permission.allowed}
      onClick={() => {
        setAction(halt.halted ? 'resume' : 'halt');
        setPolicy(halt.halted ? halt.policy : undefined);
        setOpen(true);
      }}
    >
      {halt.halted ? 'Resume' : 'Halt'}
    </Button>
  );

  let disabledReason: string | undefined;
  if (permission.loading) disabledReason = 'Checking your permissions…';
  else if (!permission.allowed) disabledReason = NO_PERMISSION_REASON;

  return (
    <>
      {disabledReason ? (
        <Tooltip title={disabledReason}>
          {/* A disabled button gets no pointer events: the span shows the tooltip. */}
          <span data-testid="halt-control">{button}</span>
        </Tooltip>
      ) : (
        <span data-testid="halt-control">{button}</span>
      )}
      {canRetry ? (
        <Button
          variant="text"
          disabled={retrying}
          onClick={retry}
          sx={{ ml: 1 }}
        >
          {retrying ? 'Retrying enforcement…' : 'Retry enforcement'}
        </Button>
      ) : null}
      {retryError ? (
        <Typography variant="body2" color="error" component="span" role="alert">
          {retryError}
        </Typography>
      ) : null}
      {/* A halt's enforcement shows in the health banner; a resume's here. */}
      {!halt.halted && halt.enforcement?.length ? (
        <Typography variant="body2" color="text.secondary" component="span">
          <EnforcementSummary halt={halt} />
        </Typography>
      ) : null}
      <HaltDialog
        open={open}
        action={action}
        pipeline={name}
        policy={policy}
        onClose={close}
        onConfirm={confirm}
      />
    </>
  );
}
