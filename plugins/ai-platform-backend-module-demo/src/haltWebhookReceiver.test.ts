import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { httpRouterServiceFactory } from '@backstage/backend-defaults/httpRouter';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- the test runs the real plugin this module extends
import aiPlatformPlugin from '@aiplatform/plugin-ai-platform-backend';
import { createHmac } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { aiPlatformModuleDemo } from './module';

jest.setTimeout(60_000);

const SECRET = 'demo-halt-webhook-secret';
const sign = (secret: string, body: string) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('the demo halt webhook receiver', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'halt-webhook-'));
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  async function start(haltWebhook?: { logFile: string }) {
    const backend = await startTestBackend({
      features: [
        aiPlatformPlugin,
        aiPlatformModuleDemo,
        catalogServiceMock.factory({ entities: [] }),
        authServiceFactory,
        httpAuthServiceFactory,
        httpRouterServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            aiPlatform: {
              demo: { haltWebhook },
              governance: {
                enforcers: {
                  webhook: { url: 'http://localhost:7007/x', secret: SECRET },
                },
              },
            },
          },
        }),
      ],
    });
    const url = `http://localhost:${backend.server.port()}/api/ai-platform/demo/halt-webhook`;
    return { backend, url };
  }

  it('logs each call whose signature is valid, without Backstage credentials', async () => {
    const logFile = path.join(dir, 'logs', 'halt-webhook.log');
    const { backend, url } = await start({ logFile });
    try {
      const body = JSON.stringify({
        action: 'halt',
        pipeline: 'aipipeline:default/kb-answers',
        reason: 'accuracy below threshold',
        actor: 'user:default/alice',
        at: '2026-05-12T12:00:00.000Z',
      });
      const ok = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-ai-platform-signature': sign(SECRET, body),
        },
        body,
      });
      expect(ok.status).toBe(204);

      const forged = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-ai-platform-signature': sign('guess', body),
        },
        body,
      });
      expect(forged.status).toBe(401);

      const lines = (await fs.readFile(logFile, 'utf8')).trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0])).toEqual({
        receivedAt: expect.any(String),
        signature: 'valid',
        ...JSON.parse(body),
      });
    } finally {
      await backend.stop();
    }
  });

  it('is not there without aiPlatform.demo.haltWebhook', async () => {
    const { backend, url } = await start();
    try {
      const res = await fetch(url, { method: 'POST', body: '{}' });
      // Backstage's credentials barrier: the route is not open.
      expect(res.status).toBe(401);
    } finally {
      await backend.stop();
    }
  });
});
