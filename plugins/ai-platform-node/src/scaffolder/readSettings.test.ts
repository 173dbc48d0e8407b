import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  countGpuUse,
  readAllowedModelSettings,
  readGpuSettings,
} from './readSettings';

describe('scaffolder settings from config', () => {
  it('reads allowed models and GPU settings', () => {
    const config = new ConfigReader({
      aiPlatform: {
        gateway: {
          allowedModels: {
            default: ['gpt-4o-mini'],
            groups: { 'group:default/ml-team': ['gpt-4o'] },
          },
        },
        gpu: {
          flavors: { a100: { resource: 'nvidia.com/gpu' } },
          quotas: { 'group:default/ml-team': 8 },
        },
      },
    });
    expect(readAllowedModelSettings(config)).toEqual({
      default: ['gpt-4o-mini'],
      groups: { 'group:default/ml-team': ['gpt-4o'] },
    });
    expect(readGpuSettings(config)).toEqual({
      flavors: { a100: { resource: 'nvidia.com/gpu' } },
      quotas: { 'group:default/ml-team': 8 },
      defaultQuota: 0,
    });
  });

  it('rejects a flavor without a resource', () => {
    const config = new ConfigReader({
      aiPlatform: { gpu: { flavors: { a100: { product: 'A100' } } } },
    });
    expect(() => readGpuSettings(config)).toThrow(/'a100'.*no 'resource'/);
  });

  it('counts the GPU requests of the entities a group owns', async () => {
    const component = (name: string, owner: string, gpus?: string) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name,
        annotations: (gpus
          ? { 'ai-platform.io/gpu-request': gpus }
          : {}) as Record<string, string>,
      },
      spec: { owner, type: 'service', lifecycle: 'production' },
      relations: [{ type: 'ownedBy', targetRef: owner }],
    });
    const catalog = catalogServiceMock({
      entities: [
        component('a', 'group:default/ml-team', '2'),
        component('b', 'group:default/ml-team', '4'),
        component('c', 'group:default/ml-team'),
        component('d', 'group:default/data-team', '8'),
      ],
    });
    await expect(
      countGpuUse({
        catalog,
        owner: 'ml-team',
        credentials: mockCredentials.service(),
      }),
    ).resolves.toBe(6);
    await expect(
      countGpuUse({
        catalog,
        owner: 'group:default/search-team',
        credentials: mockCredentials.service(),
      }),
    ).resolves.toBe(0);
  });
});
