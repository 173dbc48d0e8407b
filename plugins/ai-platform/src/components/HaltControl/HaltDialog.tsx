import { ResponseError } from '@backstage/errors';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import TextField from '@mui/material/TextField';
import { FormEvent, useEffect, useState } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';

/** Whether `error` is the backend's 409 to a resume its halt policy refused. */
function isConflict(error: Error | undefined): boolean {
  return error instanceof ResponseError && error.statusCode === 409;
}

/** The backend's own message where there is one. */
function messageOf(error: Error): string {
  if (error instanceof ResponseError) {
    const cause = error.cause?.message;
    // A 409 says all there is to say (what still fails, how to override).
    if (isConflict(error) && cause) return cause;
    const detail = cause && cause !== error.message ? `: ${cause}` : '';
    return error.statusCode === 403
      ? `You are not allowed to do this${detail}`
      : `${error.message}${detail}`;
  }
  return error.message;
}

/** How a halt or resume is done, besides its reason. */
export interface HaltDialogOptions {
  /** Resume although the SLO the halt policy halted on still fails. */
  override: boolean;
}

export interface HaltDialogProps {
  open: boolean;
  action: 'halt' | 'resume';
  pipeline: string;
  /**
   * The halt policy that halted the pipeline, if one did: a resume then
   * holds only once its SLO no longer fails, or with the override.
   */
  policy?: { slo: string };
  onClose: () => void;
  /**
   * Does the halt or resume; the dialog closes when it resolves and shows
   * the error, staying open, when it rejects.
   */
  onConfirm: (reason: string, options: HaltDialogOptions) => Promise<void>;
}

/**
 * Asks for the (required) reason of a halt or resume, then does it. For a
 * pipeline its policy halted (or when the backend refused a resume with a
 * 409), it offers to override the policy.
 */
export function HaltDialog(props: HaltDialogProps) {
  const { open, action, pipeline, policy, onClose, onConfirm } = props;
  const [reason, setReason] = useState('');
  const [override, setOverride] = useState(false);
  const [state, submit] = useAsyncFn(
    async (text: string, options: HaltDialogOptions) => {
      await onConfirm(text, options);
      onClose();
    },
    [onConfirm, onClose],
  );

  useEffect(() => {
    if (open) {
      setReason('');
      setOverride(false);
    }
  }, [open]);

  const verb = action === 'halt' ? 'Halt' : 'Resume';
  const trimmed = reason.trim();
  const offerOverride =
    action === 'resume' && (Boolean(policy) || isConflict(state.error));
  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (trimmed && !state.loading) {
      submit(trimmed, { override: offerOverride && override });
    }
  };

  return (
    <Dialog
      open={open}
      onClose={state.loading ? undefined : onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby="halt-dialog-title"
    >
      <form onSubmit={handleSubmit} noValidate>
        <DialogTitle id="halt-dialog-title">
          {verb} {pipeline}?
        </DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ mb: 2 }}>
            {action === 'halt'
              ? 'Halting marks the pipeline as halted everywhere it is shown, so its consumers stop trusting its output. '
              : 'Resuming clears the halt. '}
            Your name, the time and the reason are recorded in the audit log.
          </DialogContentText>
          {action === 'resume' && policy && (
            <DialogContentText sx={{ mb: 2 }} data-testid="resume-policy">
              Its halt policy (<code>spec.governance.haltOn</code>) halted it on
              SLO <strong>{policy.slo}</strong>. The resume holds only once that
              SLO no longer fails: while it still fails, the pipeline stays
              halted unless you override the policy, which the audit log records
              as an override.
            </DialogContentText>
          )}
          <TextField
            fullWidth
            multiline
            minRows={2}
            required
            label="Reason"
            value={reason}
            onChange={e => setReason(e.target.value)}
            helperText={trimmed ? ' ' : 'A reason is required.'}
          />
          {offerOverride && (
            <FormControlLabel
              sx={{ mt: 1 }}
              control={
                <Checkbox
                  checked={override}
                  onChange={e => setOverride(e.target.checked)}
                  disabled={state.loading}
                />
              }
              label={`Override: resume although ${
                policy ? `SLO ${policy.slo}` : 'its SLO'
              } still fails`}
            />
          )}
          {state.error && (
            <Alert severity="error" sx={{ mt: 2 }}>
              {messageOf(state.error)}
            </Alert>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={state.loading}>
            Cancel
          </Button>
          <Button
            type="submit"
            variant="contained"
            color={action === 'halt' ? 'error' : 'primary'}
            disabled={!trimmed || state.loading}
          >
            {verb}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
