/**
 * The page of a paginated list response, after the caller's catalog
 * permissions and the `q` filter.
 *
 * @public
 */
export interface PageInfo {
  /** How many items match (visible to the caller and matching `q`), over all pages. */
  totalItems: number;
  /** The page size that was applied (default 100, at most 500). */
  limit: number;
  /** How many matching items come before this page. */
  offset: number;
}

/**
 * Query options of a paginated list route.
 *
 * @public
 */
export interface ListOptions<K extends string> {
  /** Page size, 1 to 500; default 100. */
  limit?: number;
  /** Items to skip, at least 0; default 0. */
  offset?: number;
  /** Case-insensitive substring filter, at most 200 characters. */
  q?: string;
  /** Sort key; a leading `-` sorts descending. Ties are broken by ref. */
  sort?: K | `-${K}`;
}

/**
 * Sort keys of `GET /pipelines`: `errors` is the error-finding count,
 * `stages` the stage count.
 *
 * @public
 */
export type PipelineSortKey = 'name' | 'owner' | 'health' | 'errors' | 'stages';

/**
 * Sort keys of `GET /ownership/report`: `errors` is the error-finding count.
 *
 * @public
 */
export type OwnershipReportSortKey = 'pipeline' | 'owner' | 'errors';

/**
 * Sort keys of `GET /stages`.
 *
 * @public
 */
export type OwnedStageSortKey = 'pipeline' | 'stage';
