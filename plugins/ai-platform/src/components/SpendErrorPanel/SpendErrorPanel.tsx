import { ResponseErrorPanel } from '@backstage/core-components';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';

function statusOf(error: Error): number | undefined {
  const status = (error as Partial<{ statusCode: unknown }>).statusCode;
  return typeof status === 'number' ? status : undefined;
}

/**
 * A failed spend request: a plain "not allowed" for a 403 (spend is only
 * shown for the teams the user may see), else the error with its details.
 */
export function SpendErrorPanel(props: { error: Error; title?: string }) {
  const { error, title } = props;
  if (statusOf(error) === 403) {
    return (
      <Alert severity="info" variant="outlined">
        <AlertTitle>
          {title ? `${title}: not allowed` : 'Not allowed'}
        </AlertTitle>
        You are not allowed to see this spend. Spend is shown for the teams your
        permissions cover; ask an AI Platform admin for access.
      </Alert>
    );
  }
  return <ResponseErrorPanel error={error} title={title} />;
}
