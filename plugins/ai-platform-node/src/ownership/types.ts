/**
 * What the analysis needs to know of one catalog entity.
 *
 * @public
 */
export interface CatalogEntitySummary {
  /** Full, lowercase entity ref. */
  ref: string;
  kind: string;
  /** Normalized `spec.owner`, when the entity has one. */
  owner?: string;
  /** For Groups: how many direct members it has. */
  memberCount?: number;
  /** For Groups: full refs of direct child groups. */
  children?: string[];
  /** Full refs of the entities this entity depends on. */
  dependsOn?: string[];
  /** Full refs of the entities that depend on this one (`dependencyOf`). */
  dependents?: string[];
}

/**
 * Read access to the catalog for the analysis.
 *
 * @public
 */
export interface OwnershipCatalog {
  entity(ref: string): CatalogEntitySummary | undefined;
  /** Refs of the entities that depend on `ref`. */
  dependentsOf(ref: string): string[];
}

/**
 * Read access to received signals for the analysis.
 *
 * @public
 */
export interface SignalLookup {
  /** Epoch millis of the latest freshness signal of a stage, if any. */
  lastFreshness(pipelineRef: string, stage: string): number | undefined;
}
