import { Entity } from '@backstage/catalog-model';
import { buildCatalogIndex } from '../ownership/catalogIndex';
import {
  component,
  group,
  pipeline,
  stage,
  user,
} from '../ownership/testEntities';
import {
  attributeUsage,
  buildGroupParents,
  createUsageAttributor,
  groupAncestors,
  teamGroupRef,
  unattributedKey,
} from './attribution';

const groups: Entity[] = [
  group('org', { children: ['group:default/ml', 'group:default/platform'] }),
  group('ml', {
    children: ['group:default/ml-team', 'group:default/ml-research'],
  }),
  group('ml-team', { members: ['user:default/alice'] }),
  group('ml-research'),
  group('platform'),
];

const supportAnswers: Entity = {
  ...pipeline('support-answers', {
    owner: 'group:default/ml-team',
    stages: [
      stage('retrieve', 'retrieval', {
        entityRef: 'component:default/retriever',
      }),
    ],
  }),
  relations: [
    { type: 'ownedBy', targetRef: 'group:default/ml-team' },
    { type: 'dependsOn', targetRef: 'component:default/retriever' },
  ],
};
const triage: Entity = {
  ...pipeline('ticket-triage', {
    owner: 'group:default/platform',
    stages: [
      stage('retrieve', 'retrieval', {
        entityRef: 'component:default/retriever',
      }),
    ],
  }),
  relations: [{ type: 'dependsOn', targetRef: 'component:default/retriever' }],
};

const entities: Entity[] = [
  ...groups,
  user('alice', ['group:default/ml-team']),
  component('answers', 'group:default/ml-team'),
  component('research-bot', 'ml-research'),
  component('retriever', 'group:default/platform', [
    { type: 'dependencyOf', targetRef: 'aipipeline:default/support-answers' },
    { type: 'dependencyOf', targetRef: 'aipipeline:default/ticket-triage' },
  ]),
  component('hobby', 'user:default/alice'),
  component('orphan'),
  supportAnswers,
  triage,
];

const catalog = buildCatalogIndex(entities);
const groupRefs = groups.map(g => `group:default/${g.metadata.name}`);
const parents = buildGroupParents(catalog, groupRefs);

describe('buildGroupParents / groupAncestors', () => {
  it('maps children to parents', () => {
    expect(Object.fromEntries(parents)).toEqual({
      'group:default/ml': ['group:default/org'],
      'group:default/platform': ['group:default/org'],
      'group:default/ml-team': ['group:default/ml'],
      'group:default/ml-research': ['group:default/ml'],
    });
  });

  it('walks up nearest first', () => {
    expect(groupAncestors(parents, 'group:default/ml-team')).toEqual([
      'group:default/ml',
      'group:default/org',
    ]);
    expect(groupAncestors(parents, 'group:default/org')).toEqual([]);
    expect(groupAncestors(parents, 'group:default/unknown')).toEqual([]);
  });

  it('accepts short refs and skips groups the catalog does not know', () => {
    const p = buildGroupParents(catalog, ['org', 'group:default/ghost']);
    expect(p.get('group:default/ml')).toEqual(['group:default/org']);
    expect(p.size).toBe(2);
  });

  it('survives a cycle in the org chart', () => {
    const cyclic = buildCatalogIndex([
      group('a', { children: ['group:default/b'] }),
      group('b', { children: ['group:default/a'] }),
    ]);
    const p = buildGroupParents(cyclic, ['group:default/a', 'group:default/b']);
    expect(groupAncestors(p, 'group:default/a')).toEqual(['group:default/b']);
  });
});

describe('attributeUsage', () => {
  it('charges an entity to its owner and the groups above', () => {
    expect(
      attributeUsage(
        { entityRef: 'component:default/answers' },
        catalog,
        parents,
      ),
    ).toEqual({
      entityRef: 'component:default/answers',
      owner: 'group:default/ml-team',
      teams: ['group:default/ml-team', 'group:default/ml', 'group:default/org'],
      pipelines: [],
      via: 'entity',
    });
  });

  it('normalizes the ref it is given', () => {
    expect(
      attributeUsage({ entityRef: 'Answers' }, catalog, parents).entityRef,
    ).toBe('component:default/answers');
  });

  it('resolves an entity named by a tag or a key alias', () => {
    expect(
      attributeUsage(
        { tags: ['foo', 'backstage:component:default/research-bot'] },
        catalog,
        parents,
      ).owner,
    ).toBe('group:default/ml-research');
    expect(
      attributeUsage(
        { keyAlias: 'component:default/answers' },
        catalog,
        parents,
      ).owner,
    ).toBe('group:default/ml-team');
  });

  it('skips a named entity the catalog does not know for one it does', () => {
    expect(
      attributeUsage(
        {
          entityRef: 'component:default/renamed-away',
          keyAlias: 'component:default/answers',
        },
        catalog,
        parents,
      ).entityRef,
    ).toBe('component:default/answers');
  });

  it('lists the pipelines a stage entity serves', () => {
    const a = attributeUsage(
      { entityRef: 'component:default/retriever' },
      catalog,
      parents,
    );
    expect(a.owner).toBe('group:default/platform');
    expect(a.teams).toEqual(['group:default/platform', 'group:default/org']);
    expect(a.pipelines).toEqual([
      'aipipeline:default/support-answers',
      'aipipeline:default/ticket-triage',
    ]);
  });

  it('charges usage of a pipeline entity to the pipeline', () => {
    expect(
      attributeUsage(
        { entityRef: 'aipipeline:default/support-answers' },
        catalog,
        parents,
      ),
    ).toMatchObject({
      owner: 'group:default/ml-team',
      pipelines: ['aipipeline:default/support-answers'],
    });
  });

  it('charges usage of a Group entity to that group', () => {
    expect(
      attributeUsage({ keyAlias: 'group:default/ml' }, catalog, parents),
    ).toMatchObject({
      entityRef: 'group:default/ml',
      owner: 'group:default/ml',
      teams: ['group:default/ml', 'group:default/org'],
    });
  });

  it('keeps an entity owned by a user or by nobody attributed, with no group', () => {
    expect(
      attributeUsage(
        { entityRef: 'component:default/hobby' },
        catalog,
        parents,
      ),
    ).toMatchObject({
      owner: 'user:default/alice',
      teams: ['user:default/alice'],
    });
    expect(
      attributeUsage(
        { entityRef: 'component:default/orphan' },
        catalog,
        parents,
      ),
    ).toMatchObject({
      entityRef: 'component:default/orphan',
      owner: null,
      teams: [],
      via: 'entity',
    });
  });

  it('charges a team that names a catalog Group to that group directly', () => {
    const expected = {
      entityRef: null,
      owner: 'group:default/ml-research',
      teams: [
        'group:default/ml-research',
        'group:default/ml',
        'group:default/org',
      ],
      pipelines: [],
      via: 'team',
    };
    expect(attributeUsage({ team: 'ml-research' }, catalog, parents)).toEqual(
      expected,
    );
    expect(
      attributeUsage({ team: 'group:default/ML-Research' }, catalog, parents),
    ).toEqual(expected);
    // An entity the catalog does not know falls back to the team.
    expect(
      attributeUsage(
        { entityRef: 'component:default/ghost', team: 'ml-research' },
        catalog,
        parents,
      ),
    ).toEqual(expected);
  });

  it('prefers the entity over the team', () => {
    expect(
      attributeUsage(
        { entityRef: 'component:default/answers', team: 'platform' },
        catalog,
        parents,
      ).owner,
    ).toBe('group:default/ml-team');
  });

  it('leaves usage unattributed when nothing resolves', () => {
    const none = {
      entityRef: null,
      owner: null,
      teams: [],
      pipelines: [],
      via: null,
    };
    expect(
      attributeUsage(
        {
          entityRef: 'component:default/ghost',
          team: '4f1c2b0e-team-uuid',
          keyAlias: 'prod-key',
        },
        catalog,
        parents,
      ),
    ).toEqual(none);
    // A team that names a non-group entity does not count.
    expect(
      attributeUsage({ team: 'user:default/alice' }, catalog, parents),
    ).toEqual(none);
    expect(attributeUsage({}, catalog, parents)).toEqual(none);
  });
});

describe('createUsageAttributor', () => {
  it('builds the org chart once and attributes', () => {
    const attribute = createUsageAttributor(catalog, groupRefs);
    expect(
      attribute({ entityRef: 'component:default/answers' }).teams,
    ).toHaveLength(3);
  });
});

describe('teamGroupRef', () => {
  it.each([
    ['ml-team', 'group:default/ml-team'],
    ['ML-Team', 'group:default/ml-team'],
    ['default/ml-team', 'group:default/ml-team'],
    ['group:default/ml-team', 'group:default/ml-team'],
    ['nope', undefined],
    ['', undefined],
    [null, undefined],
    ['component:default/answers', undefined],
  ])('%p → %p', (team, expected) => {
    expect(teamGroupRef(team, catalog)).toBe(expected);
  });
});

describe('unattributedKey', () => {
  it('names shadow AI by key alias, then team, then tag', () => {
    expect(
      unattributedKey({ keyAlias: 'prod-key', team: 't1', tags: ['x'] }),
    ).toEqual({ key: 'prod-key', keyType: 'key-alias' });
    expect(unattributedKey({ team: 't1', tags: ['x'] })).toEqual({
      key: 't1',
      keyType: 'team',
    });
    expect(unattributedKey({ tags: ['x'] })).toEqual({
      key: 'x',
      keyType: 'tag',
    });
  });

  it('prefers a backstage: tag and skips User-Agent tags', () => {
    expect(
      unattributedKey({
        tags: [
          'User-Agent: curl/8',
          'job:1',
          'backstage:component:default/ghost',
        ],
      }),
    ).toEqual({ key: 'backstage:component:default/ghost', keyType: 'tag' });
    expect(unattributedKey({ tags: ['User-Agent: curl/8', 'job:1'] })).toEqual({
      key: 'job:1',
      keyType: 'tag',
    });
  });

  it('falls back to the unknown entity ref, else unknown', () => {
    expect(
      unattributedKey({ entityRef: 'component:default/ghost', tags: [] }),
    ).toEqual({ key: 'component:default/ghost', keyType: 'unknown' });
    expect(unattributedKey({ keyAlias: ' ', team: null })).toEqual({
      key: 'unknown',
      keyType: 'unknown',
    });
  });
});
