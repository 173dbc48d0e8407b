import { mockServices } from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { JsonObject } from '@backstage/types';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { orgFixture } from '../../__testUtils__/orgFixture';
import { PipelineCatalog } from './PipelineCatalog';

const SEARCH = 'aipipeline:default/search-rag';
const CHURN = 'aipipeline:default/churn-train';
const WEB = 'aipipeline:default/web-assistant';

/** Each entity with an etag, as the catalog stitches them. */
function withEtags(entities: Entity[]): Entity[] {
  return entities.map(e => ({
    ...e,
    metadata: { ...e.metadata, etag: `v1-${e.metadata.name}` },
  }));
}

/**
 * An in-memory catalog whose entities can be replaced, counting the whole
 * entities it hands out (a read with `fields` counts as partial).
 */
function changingCatalog(initial: Entity[]) {
  let inner = catalogServiceMock({ entities: initial });
  let entities = initial;
  const fullReads: string[] = [];
  const streams: unknown[] = [];
  const catalog = new Proxy({} as CatalogService, {
    get(_, prop) {
      if (prop === 'streamEntities') {
        return (request: any, options: any) => {
          streams.push(request);
          return inner.streamEntities(request, options);
        };
      }
      if (prop === 'getEntitiesByRefs') {
        return async (request: any, options: any) => {
          if (!request.fields) fullReads.push(...request.entityRefs);
          return inner.getEntitiesByRefs(request, options);
        };
      }
      const value = (inner as any)[prop];
      return typeof value === 'function' ? value.bind(inner) : value;
    },
  });
  return {
    catalog,
    fullReads,
    streams,
    /** Replaces the entity with `ref`, or adds it; bumps nothing itself. */
    change(ref: string, update: (e: Entity) => Entity | undefined) {
      entities = entities.flatMap(e =>
        stringifyEntityRef(e).toLowerCase() === ref ? update(e) ?? [] : [e],
      );
      inner = catalogServiceMock({ entities });
    },
  };
}

function bump(entity: Entity, spec: JsonObject): Entity {
  return {
    ...entity,
    metadata: { ...entity.metadata, etag: `v2-${entity.metadata.name}` },
    spec: { ...entity.spec, ...spec },
  };
}

describe('PipelineCatalog', () => {
  const setup = () => {
    const fake = changingCatalog(withEtags(orgFixture()));
    const view = new PipelineCatalog({
      catalog: fake.catalog,
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
    });
    return { ...fake, view };
  };

  it('holds the valid pipelines by ref, the owners and the stage entities', async () => {
    const { view } = setup();
    const snapshot = await view.snapshot();
    expect(snapshot.pipelines.map(p => p.ref)).toEqual([CHURN, SEARCH, WEB]);
    expect(snapshot.pipeline(SEARCH)?.entity.spec.owner).toBe(
      'group:default/ml-team',
    );
    expect(
      snapshot.index.entity('group:default/ml-platform')?.children,
    ).toEqual(expect.arrayContaining(['group:default/ml-team']));
    expect(snapshot.index.entity('component:default/ingest')?.owner).toBe(
      'group:default/data-team',
    );
    // Reads answer from the snapshot until the next refresh.
    expect(await view.snapshot()).toBe(snapshot);
  });

  it('shares one read between concurrent first callers', async () => {
    const { view, streams } = setup();
    const [a, b] = await Promise.all([view.snapshot(), view.snapshot()]);
    expect(a).toBe(b);
    // One read of the pipelines (whole, the first time) and one of the owners.
    expect(streams).toEqual([
      { filter: { kind: 'AIPipeline' } },
      expect.objectContaining({ filter: { kind: ['Group', 'User'] } }),
    ]);
  });

  it('re-reads only the pipeline that changed, and keeps the index when no owner or stage entity did', async () => {
    const { view, change, fullReads } = setup();
    const before = await view.snapshot();
    fullReads.length = 0;

    change(WEB, e => bump(e, { lifecycle: 'experimental' }));
    const after = await view.refresh();

    expect(fullReads).toEqual([WEB]);
    expect(after.pipeline(WEB)?.entity.spec.lifecycle).toBe('experimental');
    expect(after.pipeline(SEARCH)).toBe(before.pipeline(SEARCH));
    expect(after.indexVersion).toBe(before.indexVersion);
    expect(after.index).toBe(before.index);
  });

  it('drops a deleted pipeline and adds a new one', async () => {
    const { view, change } = setup();
    await view.snapshot();
    change(CHURN, () => undefined);
    change(WEB, e => ({
      ...e,
      metadata: { ...e.metadata, name: 'web-assistant-2', etag: 'v1-new' },
    }));
    const after = await view.refresh();
    expect(after.pipelines.map(p => p.ref)).toEqual([
      SEARCH,
      'aipipeline:default/web-assistant-2',
    ]);
  });

  it('rebuilds the index when a stage entity changes owner', async () => {
    const { view, change, fullReads } = setup();
    const before = await view.snapshot();
    fullReads.length = 0;
    change('component:default/ingest', e =>
      bump(e, { owner: 'group:default/web-team' }),
    );
    const after = await view.refresh();
    expect(after.indexVersion).toBe(before.indexVersion + 1);
    expect(after.index.entity('component:default/ingest')?.owner).toBe(
      'group:default/web-team',
    );
    // No pipeline changed: none was fetched again.
    expect(fullReads).toEqual([]);
    expect(after.pipeline(SEARCH)).toBe(before.pipeline(SEARCH));
  });

  it('rebuilds the index when a group changes', async () => {
    const { view, change } = setup();
    const before = await view.snapshot();
    change('group:default/ml-platform', e =>
      bump(e, { children: ['group:default/ml-team'] }),
    );
    // The fixture's stitched relations still name data-team; drop them too.
    change('group:default/ml-platform', e => ({
      ...e,
      relations: (e.relations ?? []).filter(
        r => r.targetRef !== 'group:default/data-team',
      ),
    }));
    const after = await view.refresh();
    expect(after.indexVersion).toBeGreaterThan(before.indexVersion);
    expect(
      after.index.entity('group:default/ml-platform')?.children,
    ).not.toContain('group:default/data-team');
  });

  it('ignores an invalid pipeline and logs it once, not on every refresh', async () => {
    const fake = changingCatalog(withEtags(orgFixture()));
    const logger = mockServices.logger.mock();
    const view = new PipelineCatalog({
      catalog: fake.catalog,
      auth: mockServices.auth(),
      logger,
    });
    await view.snapshot();
    fake.change(WEB, e => bump(e, { stages: [] }));
    expect((await view.refresh()).pipeline(WEB)).toBeUndefined();
    await view.refresh();
    const warnings = logger.warn.mock.calls.filter(([m]) =>
      String(m).includes(WEB),
    );
    expect(warnings).toHaveLength(1);
  });

  it('keeps the last snapshot when a refresh fails, and says why', async () => {
    const fake = changingCatalog(withEtags(orgFixture()));
    let failing = false;
    const catalog = new Proxy(fake.catalog, {
      get(target, prop) {
        if (failing && prop === 'streamEntities') {
          // eslint-disable-next-line require-yield
          return async function* fails() {
            throw new Error('catalog down');
          };
        }
        return (target as any)[prop];
      },
    });
    const view = new PipelineCatalog({
      catalog,
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
    });
    const before = await view.snapshot();
    failing = true;
    await expect(view.refresh()).rejects.toThrow('catalog down');
    expect(await view.snapshot()).toBe(before);
  });
});
