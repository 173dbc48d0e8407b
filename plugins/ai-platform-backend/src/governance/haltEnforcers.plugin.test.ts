import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  HaltEnforcementContext,
  aiPlatformHaltEnforcersExtensionPoint,
} from '@aiplatform/plugin-ai-platform-node';
import request from 'supertest';
import { aiPlatformPlugin } from '../plugin';
import { orgFixture } from '../__testUtils__/orgFixture';

describe('aiPlatformHaltEnforcersExtensionPoint in the plugin', () => {
  it("calls a module's enforcer on halt and resume, with the pipeline's stages", async () => {
    const seen: Array<{ action: string; ctx: HaltEnforcementContext }> = [];
    const module = createBackendModule({
      pluginId: 'ai-platform',
      moduleId: 'test-enforcer',
      register(env) {
        env.registerInit({
          deps: { enforcers: aiPlatformHaltEnforcersExtensionPoint },
          async init({ enforcers }) {
            enforcers.addHaltEnforcer({
              id: 'test',
              async halt(ctx) {
                seen.push({ action: 'halt', ctx });
                return [
                  {
                    enforcer: 'test',
                    target: 'job:nightly',
                    status: 'applied',
                    message: 'suspended',
                    undo: { wasSuspended: false },
                  },
                ];
              },
              async resume(ctx, previous) {
                seen.push({ action: 'resume', ctx });
                expect(previous[0].undo).toEqual({ wasSuspended: false });
                return [
                  { ...previous[0], message: 'resumed', undo: undefined },
                ];
              },
            });
          },
        });
      },
    });
    const backend = await startTestBackend({
      features: [
        aiPlatformPlugin,
        module,
        catalogServiceMock.factory({ entities: orgFixture() }),
      ],
    });
    const { server } = backend;
    try {
      const halt = await request(server)
        .post('/api/ai-platform/pipelines/default/search-rag/halt')
        .send({ reason: 'drift' });
      expect(halt.status).toBe(200);
      expect(halt.body.enforcement).toEqual([
        {
          enforcer: 'test',
          target: 'job:nightly',
          status: 'applied',
          message: 'suspended',
        },
      ]);
      expect(seen[0].ctx).toMatchObject({
        reason: 'drift',
        actor: 'user:default/mock',
      });
      expect(seen[0].ctx.entityRefs[0]).toBe('aipipeline:default/search-rag');
      expect(seen[0].ctx.stages.length).toBeGreaterThan(0);

      const resume = await request(server)
        .post('/api/ai-platform/pipelines/default/search-rag/resume')
        .send({ reason: 'ok' });
      expect(resume.body.enforcement).toEqual([
        {
          enforcer: 'test',
          target: 'job:nightly',
          status: 'applied',
          message: 'resumed',
        },
      ]);
      expect(seen.map(s => s.action)).toEqual(['halt', 'resume']);
    } finally {
      await backend.stop();
    }
  });

  it('refuses to start with bad enforcer config, naming the key', async () => {
    await expect(
      startTestBackend({
        features: [
          aiPlatformPlugin,
          catalogServiceMock.factory({ entities: orgFixture() }),
          mockServices.rootConfig.factory({
            data: {
              aiPlatform: {
                governance: {
                  enforcers: { webhook: { url: 'http://hooks.local' } },
                },
              },
            },
          }),
        ],
      }),
    ).rejects.toThrow('aiPlatform.governance.enforcers.webhook.secret');
  });
});
