import {
  allowedModelsFor,
  checkGpuQuota,
  gpuQuotaFor,
  normalizeOwnerRef,
  sumGpuRequests,
} from './settings';

describe('scaffolder settings', () => {
  const models = {
    default: ['gpt-4o-mini', 'text-embedding-3-small'],
    groups: { 'group:default/ml-team': ['gpt-4o', 'gpt-4o-mini'] },
  };

  it('gives every team the defaults and a group its own models, once', () => {
    expect(allowedModelsFor(models, 'ml-team')).toEqual([
      'gpt-4o-mini',
      'text-embedding-3-small',
      'gpt-4o',
    ]);
    expect(allowedModelsFor(models, 'Group:default/ML-Team')).toContain(
      'gpt-4o',
    );
    expect(allowedModelsFor(models, 'group:default/data-team')).toEqual([
      'gpt-4o-mini',
      'text-embedding-3-small',
    ]);
  });

  it('reads quotas by normalized group ref with a default', () => {
    const gpu = {
      flavors: {},
      quotas: { 'default/ml-team': 8 },
      defaultQuota: 1,
    };
    expect(gpuQuotaFor(gpu, 'group:default/ml-team')).toBe(8);
    expect(gpuQuotaFor(gpu, 'search-team')).toBe(1);
    expect(normalizeOwnerRef('ml-team')).toBe('group:default/ml-team');
  });

  it('sums integer GPU request annotations and ignores junk', () => {
    const entity = (value?: string) => {
      const annotations: Record<string, string> = {};
      if (value !== undefined)
        annotations['ai-platform.io/gpu-request'] = value;
      return { metadata: { annotations } };
    };
    expect(
      sumGpuRequests([
        entity('2'),
        entity('4'),
        entity('x'),
        entity('-3'),
        entity('1.5'),
        entity(),
      ]),
    ).toBe(6);
  });

  it('checks a request against the quota', () => {
    expect(checkGpuQuota({ quota: 8, currentUse: 6, request: 2 })).toEqual({
      ok: true,
      quota: 8,
      currentUse: 6,
      request: 2,
      remaining: 0,
    });
    expect(checkGpuQuota({ quota: 8, currentUse: 6, request: 3 }).ok).toBe(
      false,
    );
  });
});
