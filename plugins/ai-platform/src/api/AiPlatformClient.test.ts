import { ResponseError } from '@backstage/errors';
import { AiPlatformClient } from './AiPlatformClient';

const BASE_URL = 'http://backstage.test/api/ai-platform';

function jsonResponse(
  body: unknown,
  status = 200,
  statusText = 'OK',
): Response {
  return new Response(JSON.stringify(body), {
    status,
    statusText,
    headers: { 'Content-Type': 'application/json' },
  });
}

function setup(response: () => Response = () => jsonResponse({ items: [] })) {
  const discoveryApi = { getBaseUrl: jest.fn().mockResolvedValue(BASE_URL) };
  const fetch = jest.fn().mockImplementation(async () => response());
  const client = new AiPlatformClient({ discoveryApi, fetchApi: { fetch } });
  return { client, discoveryApi, fetch };
}

describe('AiPlatformClient', () => {
  it('lists pipelines from the ai-platform backend', async () => {
    const items = [{ pipeline: 'aipipeline:default/a' }];
    const { client, discoveryApi, fetch } = setup(() =>
      jsonResponse({ items }),
    );

    await expect(client.listPipelines()).resolves.toEqual({ items });
    expect(discoveryApi.getBaseUrl).toHaveBeenCalledWith('ai-platform');
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch).toHaveBeenCalledWith(`${BASE_URL}/pipelines`);
  });

  it('encodes namespace and name in the ownership URL', async () => {
    const { client, fetch } = setup();

    await client.getPipelineOwnership('default', 'support-rag');
    expect(fetch).toHaveBeenLastCalledWith(
      `${BASE_URL}/pipelines/default/support-rag/ownership`,
    );

    await client.getPipelineOwnership('team a/b', 'rag?x=1#frag');
    expect(fetch).toHaveBeenLastCalledWith(
      `${BASE_URL}/pipelines/team%20a%2Fb/rag%3Fx%3D1%23frag/ownership`,
    );
  });

  it('passes the owner of the ownership report as an encoded query parameter', async () => {
    const { client, fetch } = setup();

    await client.getOwnershipReport();
    expect(fetch).toHaveBeenLastCalledWith(`${BASE_URL}/ownership/report`);

    await client.getOwnershipReport('group:default/ml-team');
    expect(fetch).toHaveBeenLastCalledWith(
      `${BASE_URL}/ownership/report?owner=group%3Adefault%2Fml-team`,
    );

    await client.getOwnershipReport('group:default/a&b=c');
    expect(fetch).toHaveBeenLastCalledWith(
      `${BASE_URL}/ownership/report?owner=group%3Adefault%2Fa%26b%3Dc`,
    );
  });

  it('passes the owner of the owned stages as an encoded query parameter', async () => {
    const { client, fetch } = setup();

    await client.getOwnedStages('user:default/jane doe');
    expect(fetch).toHaveBeenLastCalledWith(
      `${BASE_URL}/stages?owner=user%3Adefault%2Fjane%20doe`,
    );
  });

  it('throws a ResponseError whose cause carries the backend error on a 404', async () => {
    const body = {
      error: {
        name: 'NotFoundError',
        message: 'No AIPipeline aipipeline:default/missing',
      },
      response: { statusCode: 404 },
    };
    const { client } = setup(() => jsonResponse(body, 404, 'Not Found'));

    const error = await client.getPipelineOwnership('default', 'missing').then(
      () => undefined,
      e => e,
    );

    expect(error).toBeInstanceOf(ResponseError);
    const responseError = error as ResponseError;
    expect(responseError.name).toBe('ResponseError');
    expect(responseError.statusCode).toBe(404);
    expect(responseError.message).toBe('Request failed with 404 Not Found');
    expect(responseError.body.error).toEqual(body.error);
    expect(responseError.cause.name).toBe('NotFoundError');
    expect(responseError.cause.message).toBe(
      'No AIPipeline aipipeline:default/missing',
    );
  });

  it('throws a ResponseError on a non-JSON error response too', async () => {
    const { client } = setup(
      () =>
        new Response('upstream exploded', {
          status: 502,
          statusText: 'Bad Gateway',
          headers: { 'Content-Type': 'text/plain' },
        }),
    );

    const error = await client.listPipelines().then(
      () => undefined,
      e => e,
    );
    expect(error).toBeInstanceOf(ResponseError);
    expect((error as ResponseError).statusCode).toBe(502);
  });
});
