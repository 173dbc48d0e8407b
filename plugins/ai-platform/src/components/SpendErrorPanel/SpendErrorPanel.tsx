import { ResponseErrorPanel, WarningPanel } from '@backstage/core-components';

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
      <WarningPanel
        severity="info"
        title={title ? `${title}: not allowed` : 'Not allowed'}
        message="You are not allowed to see this spend. Spend is shown for the teams your permissions cover; ask an AI Platform admin for access."
      />
    );
  }
  return <ResponseErrorPanel error={error} title={title} />;
}
