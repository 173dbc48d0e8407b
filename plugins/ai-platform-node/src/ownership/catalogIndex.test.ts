import { Entity } from '@backstage/catalog-model';
import {
  buildCatalogIndex,
  groupSubtree,
  normalizeRef,
  summarizeEntity,
  tryNormalizeRef,
} from './catalogIndex';
import { component, group, user } from './testEntities';

describe('normalizeRef', () => {
  it('fills in the default kind and namespace and lowercases', () => {
    expect(normalizeRef('ml-team', { defaultKind: 'group' })).toBe(
      'group:default/ml-team',
    );
    expect(
      normalizeRef('ml-team', { defaultKind: 'group', defaultNamespace: 'ml' }),
    ).toBe('group:ml/ml-team');
    expect(normalizeRef('Group:Default/ML-Team')).toBe('group:default/ml-team');
    expect(normalizeRef('user:alice', { defaultKind: 'group' })).toBe(
      'user:default/alice',
    );
    expect(normalizeRef('group:other/x', { defaultNamespace: 'ml' })).toBe(
      'group:other/x',
    );
  });

  it('throws for a ref it cannot complete or parse', () => {
    expect(() => normalizeRef('ml-team')).toThrow();
    expect(() =>
      normalizeRef('group:default/', { defaultKind: 'group' }),
    ).toThrow();
    expect(() => normalizeRef(':x', { defaultKind: 'group' })).toThrow();
  });
});

describe('tryNormalizeRef', () => {
  it('returns undefined instead of throwing', () => {
    expect(tryNormalizeRef('ml-team')).toBeUndefined();
    expect(tryNormalizeRef('ml-team', { defaultKind: 'group' })).toBe(
      'group:default/ml-team',
    );
  });
});

describe('summarizeEntity', () => {
  it('summarizes a component from its relations', () => {
    const entity: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'Model-Svc', namespace: 'ml' },
      spec: { type: 'service', lifecycle: 'production', owner: 'ml-team' },
      relations: [
        { type: 'ownedBy', targetRef: 'group:ml/ml-team' },
        { type: 'dependsOn', targetRef: 'resource:ml/Feature-Store' },
        { type: 'dependencyOf', targetRef: 'component:ml/dashboard' },
        { type: 'dependencyOf', targetRef: 'component:ml/reporting' },
      ],
    };
    expect(summarizeEntity(entity)).toEqual({
      ref: 'component:ml/model-svc',
      kind: 'component',
      owner: 'group:ml/ml-team',
      dependsOn: ['resource:ml/feature-store'],
      dependents: ['component:ml/dashboard', 'component:ml/reporting'],
    });
  });

  it('reads spec.dependsOn when the entity has no relations yet', () => {
    const entity: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'api', namespace: 'ml' },
      spec: {
        owner: 'user:bob',
        dependsOn: ['resource:db', 'component:default/auth', 'no-kind', 42],
      },
    };
    const summary = summarizeEntity(entity);
    expect(summary).toEqual({
      ref: 'component:ml/api',
      kind: 'component',
      owner: 'user:ml/bob',
      dependsOn: ['resource:ml/db', 'component:default/auth'],
    });
    expect(summary.dependents).toBeUndefined();
  });

  it('leaves out an owner it cannot parse', () => {
    const summary = summarizeEntity(component('x', 'group:default/'));
    expect(summary.owner).toBeUndefined();
  });

  it('counts the members and children of a group from its relations', () => {
    const summary = summarizeEntity(
      group('ml', {
        members: ['user:default/alice', 'user:default/bob'],
        children: ['group:default/ml-research', 'group:default/ml-ops'],
        relations: [{ type: 'childOf', targetRef: 'group:default/eng' }],
      }),
    );
    expect(summary).toEqual({
      ref: 'group:default/ml',
      kind: 'group',
      memberCount: 2,
      children: ['group:default/ml-research', 'group:default/ml-ops'],
      dependsOn: [],
      dependents: [],
    });
  });

  it('reads members and children from the spec when there are no relations', () => {
    const summary = summarizeEntity({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'ml', namespace: 'ml' },
      spec: {
        type: 'team',
        members: ['alice', 'bob', 'carol'],
        children: ['ml-ops', 'group:other/ml-research'],
      },
    });
    expect(summary.memberCount).toBe(3);
    expect(summary.children).toEqual([
      'group:ml/ml-ops',
      'group:other/ml-research',
    ]);
  });

  it('counts no members for a group without any', () => {
    expect(summarizeEntity(group('empty')).memberCount).toBe(0);
  });

  it('gives users no member count', () => {
    expect(summarizeEntity(user('alice')).memberCount).toBeUndefined();
  });
});

describe('buildCatalogIndex', () => {
  const entities: Entity[] = [
    group('ml-team', { members: ['user:default/alice'] }),
    component('model-svc', 'group:default/ml-team', [
      { type: 'dependencyOf', targetRef: 'component:default/dashboard' },
    ]),
    component('dashboard', 'group:default/ml-team', [
      { type: 'dependsOn', targetRef: 'component:default/model-svc' },
    ]),
    component('reporting', undefined, [
      { type: 'dependsOn', targetRef: 'Component:default/Model-Svc' },
    ]),
  ];

  it('looks entities up by full, lowercase ref', () => {
    const catalog = buildCatalogIndex(entities);
    expect(catalog.entity('component:default/model-svc')).toEqual(
      expect.objectContaining({ owner: 'group:default/ml-team' }),
    );
    expect(catalog.entity('group:default/ml-team')?.memberCount).toBe(1);
    expect(catalog.entity('component:default/nope')).toBeUndefined();
  });

  it('knows dependents from both sides of the relation, once each', () => {
    const catalog = buildCatalogIndex(entities);
    expect(catalog.dependentsOf('component:default/model-svc').sort()).toEqual([
      'component:default/dashboard',
      'component:default/reporting',
    ]);
    expect(catalog.dependentsOf('component:default/dashboard')).toEqual([]);
    expect(catalog.dependentsOf('component:default/nope')).toEqual([]);
  });
});

describe('groupSubtree', () => {
  const catalog = buildCatalogIndex([
    group('eng', { children: ['group:default/ml', 'group:default/data'] }),
    group('ml', { children: ['group:default/ml-ops'] }),
    group('ml-ops'),
    group('data'),
    group('sales'),
  ]);

  it('follows children down the tree', () => {
    expect(groupSubtree(catalog, 'group:default/eng')).toEqual(
      new Set([
        'group:default/eng',
        'group:default/ml',
        'group:default/ml-ops',
        'group:default/data',
      ]),
    );
    expect(groupSubtree(catalog, 'group:default/ml')).toEqual(
      new Set(['group:default/ml', 'group:default/ml-ops']),
    );
  });

  it('is the group alone when it has no children or is unknown', () => {
    expect(groupSubtree(catalog, 'group:default/sales')).toEqual(
      new Set(['group:default/sales']),
    );
    expect(groupSubtree(catalog, 'group:default/ghost')).toEqual(
      new Set(['group:default/ghost']),
    );
  });

  it('terminates on a cycle of children', () => {
    const cyclic = buildCatalogIndex([
      group('a', { children: ['group:default/b'] }),
      group('b', { children: ['group:default/a'] }),
    ]);
    expect(groupSubtree(cyclic, 'group:default/a')).toEqual(
      new Set(['group:default/a', 'group:default/b']),
    );
  });
});
