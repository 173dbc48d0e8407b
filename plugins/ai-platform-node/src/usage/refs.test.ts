import {
  entityRefFromTag,
  explicitEntityRef,
  resolveUsageEntityRef,
  usageEntityRef,
  usageEntityRefCandidates,
} from './refs';

describe('explicitEntityRef', () => {
  it.each([
    ['component:default/answers', 'component:default/answers'],
    ['Component:Default/Answers', 'component:default/answers'],
    ['component:answers', 'component:default/answers'],
    [' resource:ml/vector-db ', 'resource:ml/vector-db'],
    ['prod-key', undefined],
    ['answers', undefined],
    ['https://example.com/x', undefined],
    ['component:', undefined],
    ['component:a b', undefined],
    ['', undefined],
    [undefined, undefined],
    [42, undefined],
  ])('%p → %p', (input, expected) => {
    expect(explicitEntityRef(input)).toBe(expected);
  });
});

describe('usageEntityRef', () => {
  it('defaults the kind to component and the namespace to default', () => {
    expect(usageEntityRef('answers')).toBe('component:default/answers');
    expect(usageEntityRef('ml/answers')).toBe('component:ml/answers');
    expect(usageEntityRef('AIPipeline:default/Support')).toBe(
      'aipipeline:default/support',
    );
    expect(usageEntityRef('not a ref')).toBeUndefined();
    expect(usageEntityRef('')).toBeUndefined();
  });
});

describe('entityRefFromTag', () => {
  it('reads backstage:<ref> tags only', () => {
    expect(entityRefFromTag('backstage:component:default/answers')).toBe(
      'component:default/answers',
    );
    expect(entityRefFromTag('Backstage:component:answers')).toBe(
      'component:default/answers',
    );
    expect(entityRefFromTag('backstage:answers')).toBeUndefined();
    expect(entityRefFromTag('team:ml')).toBeUndefined();
    expect(entityRefFromTag(null)).toBeUndefined();
  });
});

describe('usageEntityRefCandidates / resolveUsageEntityRef', () => {
  it('orders entityRef, backstage tags, key alias, without repeats', () => {
    const record = {
      entityRef: 'answers',
      tags: [
        'x',
        'backstage:component:default/retriever',
        'backstage:component:default/answers',
      ],
      keyAlias: 'component:default/bot',
    };
    expect(usageEntityRefCandidates(record)).toEqual([
      'component:default/answers',
      'component:default/retriever',
      'component:default/bot',
    ]);
    expect(resolveUsageEntityRef(record)).toBe('component:default/answers');
    expect(resolveUsageEntityRef({ keyAlias: 'prod-key' })).toBeNull();
  });
});
