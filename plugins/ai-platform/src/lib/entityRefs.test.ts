import { ACTOR_KINDS, OWNER_KINDS, linkableEntityRef } from './entityRefs';

describe('linkableEntityRef', () => {
  it.each([
    'user:default/alice',
    'group:default/ml-team',
    'aipipeline:finance/fraud-scoring',
    'component:answer-generator',
    'Group:Default/ML-Team',
  ])('keeps the entity ref %p', ref => {
    expect(linkableEntityRef(ref)).toBe(ref);
  });

  it.each([
    ['the backend itself', 'ai-platform'],
    ['a policy actor', 'ai-platform (policy answer-accuracy)'],
    ['a static-token subject', 'ci-ingest'],
    ['nothing', ''],
    ['a kind without a name', 'group:'],
    ['a kind and namespace without a name', 'group:default/'],
    ['a namespace without a kind', 'default/alice'],
    ['a name with spaces', 'user:default/alice (via ci)'],
    ['markup', '<script>alert(1)</script>'],
    ['a kind with markup', '<b>user</b>:default/alice'],
    ['an over-long name', `user:default/${'a'.repeat(487)}`],
    ['a slash before the colon', 'default/user:alice'],
  ])('refuses %s', (_what, value) => {
    expect(linkableEntityRef(value)).toBeUndefined();
  });

  it('refuses what is not a string', () => {
    expect(linkableEntityRef(undefined)).toBeUndefined();
    expect(linkableEntityRef(null)).toBeUndefined();
    expect(linkableEntityRef(42)).toBeUndefined();
    expect(linkableEntityRef({ kind: 'user', name: 'alice' })).toBeUndefined();
  });

  it('links only the kinds asked for, whatever their case', () => {
    expect(linkableEntityRef('user:default/alice', ACTOR_KINDS)).toBe(
      'user:default/alice',
    );
    expect(linkableEntityRef('User:default/alice', ACTOR_KINDS)).toBe(
      'User:default/alice',
    );
    // Service subjects look like refs but are not entities.
    expect(linkableEntityRef('plugin:catalog', ACTOR_KINDS)).toBeUndefined();
    expect(
      linkableEntityRef('external:ci-ingest', ACTOR_KINDS),
    ).toBeUndefined();
    expect(linkableEntityRef('group:default/ml-team', OWNER_KINDS)).toBe(
      'group:default/ml-team',
    );
    expect(
      linkableEntityRef('component:default/x', OWNER_KINDS),
    ).toBeUndefined();
  });
});
