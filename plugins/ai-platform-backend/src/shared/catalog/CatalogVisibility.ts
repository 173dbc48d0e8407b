import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { AI_PIPELINE_KIND } from '@aiplatform/plugin-ai-platform-common';

/** Which pipelines (lowercase refs) a caller may see; `all` when every one. */
export type VisiblePipelines = 'all' | ReadonlySet<string>;

/**
 * What of the catalog view a caller may see, decided per request by the
 * catalog's own permission: `catalog.entity.read` allowed outright means the
 * catalog shows the caller everything (no catalog read at all), denied means
 * nothing; a conditional decision is resolved by the catalog itself, with a
 * cheap read of the refs of the AIPipelines the caller sees.
 */
export class CatalogVisibility {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      permissions: PermissionsService;
    },
  ) {}

  async pipelines(
    credentials: BackstageCredentials,
  ): Promise<VisiblePipelines> {
    const [decision] = await this.options.permissions.authorizeConditional(
      [{ permission: catalogEntityReadPermission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.ALLOW) return 'all';
    if (decision.result === AuthorizeResult.DENY) return new Set();
    const visible = new Set<string>();
    for await (const page of this.options.catalog.streamEntities(
      {
        filter: { kind: AI_PIPELINE_KIND },
        fields: ['kind', 'metadata.name', 'metadata.namespace'],
      },
      { credentials },
    )) {
      for (const e of page) visible.add(stringifyEntityRef(e).toLowerCase());
    }
    return visible;
  }
}

/** Keeps what `visible` lets through. */
export function onlyVisible<T extends { ref: string }>(
  items: readonly T[],
  visible: VisiblePipelines,
): readonly T[] {
  return visible === 'all' ? items : items.filter(i => visible.has(i.ref));
}
