import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';

/** An error for a log line; a refusal with the reason the backend gave. */
export function describeFailure(error: unknown): string {
  if (error instanceof ResponseError) {
    return `${error.message}: ${error.cause.message}`;
  }
  return String(error);
}

/** What an ingestion route answers. */
export interface IngestResult {
  received: number;
  inserted: number;
}

/**
 * Posts to the AI Platform backend's ingestion routes (`POST /usage`,
 * `POST /signals`) as any other producer does: over HTTP, with a service
 * token of this plugin's own credentials (`plugin:ai-platform`), which the
 * routes accept as a service principal.
 */
export class IngestionClient {
  constructor(
    private readonly options: {
      discovery: DiscoveryService;
      auth: AuthService;
    },
  ) {}

  async post(route: '/usage' | '/signals', body: unknown) {
    const { discovery, auth } = this.options;
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'ai-platform',
    });
    const res = await fetch(
      `${await discovery.getBaseUrl('ai-platform')}${route}`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
        },
        body: JSON.stringify(body),
      },
    );
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
    return (await res.json()) as IngestResult;
  }
}
