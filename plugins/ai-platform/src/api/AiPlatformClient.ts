import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  AuditEventList,
  DailySpendResponse,
  HaltState,
  ListOptions,
  OwnedStageList,
  OwnedStageSortKey,
  OwnershipReport,
  OwnershipReportSortKey,
  PipelineDashboard,
  PipelineList,
  PipelineOwnership,
  PipelineSortKey,
  ScaffolderOptionsResponse,
  SpendBudgetResponse,
  SpendResponse,
  UnpricedModelsResponse,
} from '@aiplatform/plugin-ai-platform-common';
import {
  AiPlatformApi,
  DashboardRange,
  ListAuditOptions,
  SpendQuery,
} from './AiPlatformApi';

const pipelinePath = (namespace: string, name: string) =>
  `/pipelines/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;

/** `?a=1&b=2` of the defined parameters, or an empty string. */
function query(
  params: Record<string, string | number | boolean | undefined>,
): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/**
 * `?owner=…&limit=…` of a paginated list route: its own parameters, then
 * `limit`, `offset`, `q` and `sort` when set (encoded like a path segment,
 * so a space is `%20`).
 */
function listQuery<K extends string>(
  params: Record<string, string | undefined>,
  options: ListOptions<K> = {},
): string {
  const all: Record<string, string | number | undefined> = {
    ...params,
    limit: options.limit,
    offset: options.offset,
    q: options.q,
    sort: options.sort,
  };
  const parts = Object.entries(all).flatMap(([key, value]) =>
    value === undefined || value === ''
      ? []
      : [`${key}=${encodeURIComponent(String(value))}`],
  );
  return parts.length ? `?${parts.join('&')}` : '';
}

/** The query string of `/spend` and `/spend/daily`. */
function spendParams(spend: SpendQuery): string {
  return query({
    from: spend.from,
    to: spend.to,
    groupBy: spend.groupBy,
    team: spend.team,
    // Without a team the flag means nothing: leave it out.
    includeSubteams: spend.team ? spend.includeSubteams : undefined,
  });
}

/**
 * Talks to `/api/ai-platform` with the user's credentials.
 *
 * @public
 */
export class AiPlatformClient implements AiPlatformApi {
  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  listPipelines(options?: ListOptions<PipelineSortKey>): Promise<PipelineList> {
    return this.pages(opts => `/pipelines${listQuery({}, opts)}`, options);
  }

  getPipelineOwnership(
    namespace: string,
    name: string,
  ): Promise<PipelineOwnership> {
    return this.get(`${pipelinePath(namespace, name)}/ownership`);
  }

  getOwnershipReport(
    owner?: string,
    options?: ListOptions<OwnershipReportSortKey>,
  ): Promise<OwnershipReport> {
    return this.pages(
      opts => `/ownership/report${listQuery({ owner }, opts)}`,
      options,
    );
  }

  getOwnedStages(
    owner: string,
    options?: ListOptions<OwnedStageSortKey>,
  ): Promise<OwnedStageList> {
    return this.pages(opts => `/stages${listQuery({ owner }, opts)}`, options);
  }

  getDashboard(
    namespace: string,
    name: string,
    range: DashboardRange,
  ): Promise<PipelineDashboard> {
    return this.get(
      `${pipelinePath(namespace, name)}/dashboard${query({
        from: range.from,
        to: range.to,
      })}`,
    );
  }

  getHaltState(namespace: string, name: string): Promise<HaltState> {
    return this.get(`${pipelinePath(namespace, name)}/halt`);
  }

  haltPipeline(
    namespace: string,
    name: string,
    reason: string,
  ): Promise<HaltState> {
    return this.post(`${pipelinePath(namespace, name)}/halt`, { reason });
  }

  retryHaltEnforcement(namespace: string, name: string): Promise<HaltState> {
    return this.post(`${pipelinePath(namespace, name)}/halt/retry`);
  }

  resumePipeline(
    namespace: string,
    name: string,
    reason: string,
    options: { override?: boolean } = {},
  ): Promise<HaltState> {
    return this.post(
      `${pipelinePath(namespace, name)}/resume`,
      options.override === true ? { reason, override: true } : { reason },
    );
  }

  listAudit(options: ListAuditOptions = {}): Promise<AuditEventList> {
    return this.get(
      `/audit${query({ entityRef: options.entityRef, limit: options.limit })}`,
    );
  }

  getSpend(spendQuery: SpendQuery): Promise<SpendResponse> {
    return this.get(`/spend${spendParams(spendQuery)}`);
  }

  getDailySpend(spendQuery: SpendQuery): Promise<DailySpendResponse> {
    return this.get(`/spend/daily${spendParams(spendQuery)}`);
  }

  getSpendBudget(entityRef: string): Promise<SpendBudgetResponse> {
    return this.get(`/spend/budget${query({ entityRef })}`);
  }

  getUnpricedModels(range: DashboardRange): Promise<UnpricedModelsResponse> {
    return this.get(
      `/spend/unpriced${query({ from: range.from, to: range.to })}`,
    );
  }

  getScaffolderOptions(owner: string): Promise<ScaffolderOptionsResponse> {
    return this.get(`/scaffolder/options${query({ owner })}`);
  }

  /**
   * One page when `options.limit` is set; else every item: the first page
   * as the server sizes it, then the next pages until `totalItems`.
   */
  private async pages<
    K extends string,
    T extends { items: unknown[]; totalItems?: number; limit?: number },
  >(path: (options: ListOptions<K>) => string, options: ListOptions<K> = {}) {
    const first = await this.get<T>(path(options));
    const start = options.offset ?? 0;
    const complete = (count: number) =>
      first.totalItems === undefined || start + count >= first.totalItems;
    if (
      options.limit !== undefined ||
      !Array.isArray(first.items) ||
      complete(first.items.length)
    ) {
      return first;
    }
    const items = [...first.items];
    while (!complete(items.length)) {
      const next = await this.get<T>(
        path({ ...options, offset: start + items.length, limit: first.limit }),
      );
      if (!next.items.length) break;
      items.push(...next.items);
    }
    return { ...first, items, limit: items.length };
  }

  private async get<T>(path: string): Promise<T> {
    const baseUrl = await this.options.discoveryApi.getBaseUrl('ai-platform');
    const response = await this.options.fetchApi.fetch(`${baseUrl}${path}`);
    return this.parse<T>(response);
  }

  /** POSTs `body` as JSON, or nothing when there is no body. */
  private async post<T>(path: string, body?: unknown): Promise<T> {
    const baseUrl = await this.options.discoveryApi.getBaseUrl('ai-platform');
    const response = await this.options.fetchApi.fetch(
      `${baseUrl}${path}`,
      body === undefined
        ? { method: 'POST' }
        : {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(body),
          },
    );
    return this.parse<T>(response);
  }

  private async parse<T>(response: Response): Promise<T> {
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
