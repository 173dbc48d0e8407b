import { LitellmAdminSettings } from './gatewaySettings';
import { assertOk, GatewayApiError, JsonRequest, sendJson } from './http';
import { keyRequest, modelRequest, teamRequest } from './litellmSettings';
import { GatewayRoute } from './routeInput';

/** A LiteLLM team and a virtual key for the service. */
export interface LitellmTeamKey {
  teamId: string;
  /** The generated key: store it in a Secret, never log or output it. */
  key: string;
}

function stringField(body: unknown, field: string): string | undefined {
  const value =
    body && typeof body === 'object'
      ? (body as Record<string, unknown>)[field]
      : undefined;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

async function post(
  admin: LitellmAdminSettings,
  path: string,
  body: unknown,
): Promise<unknown> {
  const request: JsonRequest = {
    label: `LiteLLM POST ${path}`,
    method: 'POST',
    url: `${admin.url}${path}`,
    token: admin.key,
    body,
  };
  const response = await sendJson(request);
  assertOk(request, response);
  return response.body;
}

/**
 * Registers a self-hosted model (`POST /model/new`) when there is one, then
 * creates the team (`POST /team/new`) and its key (`POST /key/generate`).
 */
export async function createLitellmTeamKey(
  admin: LitellmAdminSettings,
  route: GatewayRoute,
): Promise<LitellmTeamKey> {
  if (route.selfHosted) {
    await post(admin, '/model/new', modelRequest(route.selfHosted));
  }
  const teamId = stringField(
    await post(admin, '/team/new', teamRequest(route)),
    'team_id',
  );
  if (!teamId) {
    throw new GatewayApiError('LiteLLM POST /team/new returned no team_id');
  }
  const key = stringField(
    await post(admin, '/key/generate', {
      team_id: teamId,
      ...keyRequest(route),
    }),
    'key',
  );
  if (!key) {
    throw new GatewayApiError('LiteLLM POST /key/generate returned no key');
  }
  return { teamId, key };
}
