import { ResponseError } from '@backstage/errors';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import TextField from '@mui/material/TextField';
import { FormEvent, useEffect, useState } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';

/** The backend's own message where there is one. */
function messageOf(error: Error): string {
  if (error instanceof ResponseError) {
    const cause = error.cause?.message;
    const detail = cause && cause !== error.message ? `: ${cause}` : '';
    return error.statusCode === 403
      ? `You are not allowed to do this${detail}`
      : `${error.message}${detail}`;
  }
  return error.message;
}

export interface HaltDialogProps {
  open: boolean;
  action: 'halt' | 'resume';
  pipeline: string;
  onClose: () => void;
  /** Does the halt or resume; the dialog closes when it resolves. */
  onConfirm: (reason: string) => Promise<void>;
}

/** Asks for the (required) reason of a halt or resume, then does it. */
export function HaltDialog(props: HaltDialogProps) {
  const { open, action, pipeline, onClose, onConfirm } = props;
  const [reason, setReason] = useState('');
  const [state, submit] = useAsyncFn(
    async (text: string) => {
      await onConfirm(text);
      onClose();
    },
    [onConfirm, onClose],
  );

  useEffect(() => {
    if (open) setReason('');
  }, [open]);

  const verb = action === 'halt' ? 'Halt' : 'Resume';
  const trimmed = reason.trim();
  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (trimmed && !state.loading) submit(trimmed);
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
