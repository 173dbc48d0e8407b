import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  createConditionAuthorizer,
  PermissionRuleset,
} from '@backstage/plugin-permission-node';
import {
  AiPlatformTeamResource,
  DailySpendResponse,
  SpendBudgetResponse,
  SpendGroupBy,
  SpendResponse,
  SpendRow,
  UNATTRIBUTED_TEAM,
  UnpricedModelsResponse,
  UsageIngestResult,
  UsageRecordInput,
  aggregateSpend,
  aiPlatformSpendReadPermission,
  budgetReport,
  buildCatalogIndex,
  createUsageAttributor,
  formatUsageIssues,
  forecastMonthEnd,
  monthToDate,
  parseLiteLLMBody,
  parseUsageNdjson,
  toUsageRecord,
  unattributedKey,
  validateUsageBatch,
} from '@aiplatform/plugin-ai-platform-common';
import { UsageAggregateRow, UsageStore } from '../database/UsageStore';

const DAY = 86_400_000;
/** Annotation on a Group: its monthly inference budget in USD. */
export const MONTHLY_BUDGET_ANNOTATION = 'ai-platform.io/monthly-budget-usd';

const GROUP_FIELDS = [
  'kind',
  'metadata',
  'spec.children',
  'spec.parent',
  'relations',
];
const ENTITY_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'spec.owner',
  'relations',
];

export interface SpendQuery {
  from: number;
  to: number;
  groupBy: SpendGroupBy;
  team?: string;
  includeSubteams: boolean;
}

type Attributor = ReturnType<typeof createUsageAttributor>;

/** Gateway usage in; per-team spend out, attributed through the catalog at read time. */
export class SpendService {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      store: UsageStore;
      permissions: PermissionsService;
      teamRules: PermissionRuleset<AiPlatformTeamResource, unknown, string>;
    },
  ) {}

  /** `POST /usage`: JSON `{ records }` or NDJSON text. All or nothing; idempotent on id. */
  async ingestUsage(body: unknown): Promise<UsageIngestResult> {
    const result =
      typeof body === 'string'
        ? parseUsageNdjson(body)
        : validateUsageBatch(body);
    return this.write(result, 'usage batch');
  }

  /** `POST /usage/litellm`: SpendLogs rows, a bare array or a v2 page. */
  async ingestLiteLLM(body: unknown): Promise<UsageIngestResult> {
    return this.write(parseLiteLLMBody(body), 'LiteLLM spend logs');
  }

  private async write(
    result: { records: UsageRecordInput[] } | { issues: any[] },
    what: string,
  ): Promise<UsageIngestResult> {
    if ('issues' in result) {
      const shown = result.issues.slice(0, 10);
      const more =
        result.issues.length > 10
          ? ` (and ${result.issues.length - 10} more)`
          : '';
      throw new InputError(
        `Invalid ${what}, nothing was written: ${formatUsageIssues(
          shown,
        )}${more}`,
      );
    }
    if (result.records.length === 0) {
      throw new InputError(
        `Invalid ${what}: records must hold at least one record`,
      );
    }
    const records = result.records.map(toUsageRecord);
    const { inserted } = await this.options.store.insertUsage(records);
    return { received: records.length, inserted };
  }

  async getSpend(
    query: SpendQuery,
    credentials: BackstageCredentials,
  ): Promise<SpendResponse> {
    const [rows, context] = await Promise.all([
      this.options.store.aggregate(query),
      this.context(credentials),
    ]);
    this.checkTeam(query.team, context);
    return aggregateSpend(this.toSpendRows(rows, context), query.groupBy, {
      team: query.team,
      includeSubteams: query.includeSubteams,
    });
  }

  async getDailySpend(
    query: SpendQuery,
    credentials: BackstageCredentials,
  ): Promise<DailySpendResponse> {
    const [rows, context] = await Promise.all([
      this.options.store.aggregateDaily(query),
      this.context(credentials),
    ]);
    this.checkTeam(query.team, context);
    const byDay = new Map<string, UsageAggregateRow[]>();
    for (const row of rows) {
      const list = byDay.get(row.day) ?? [];
      list.push(row);
      byDay.set(row.day, list);
    }
    const items: DailySpendResponse['items'] = [];
    for (const [day, dayRows] of [...byDay.entries()].sort()) {
      const spend = aggregateSpend(
        this.toSpendRows(dayRows, context),
        query.groupBy,
        {
          team: query.team,
          includeSubteams: query.includeSubteams,
        },
      );
      for (const item of spend.items) {
        items.push({
          day,
          key: item.key,
          costUsd: item.costUsd,
          requests: item.requests,
        });
      }
    }
    return { currency: 'USD', groupBy: query.groupBy, items };
  }

  async getBudget(
    entityRef: string,
    credentials: BackstageCredentials,
    now = Date.now(),
  ): Promise<SpendBudgetResponse> {
    const entity = await this.options.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (
      !entity ||
      !['group', 'aipipeline'].includes(entity.kind.toLowerCase())
    ) {
      throw new NotFoundError(
        `No Group or AIPipeline ${entityRef} in the catalog`,
      );
    }
    const isGroup = entity.kind.toLowerCase() === 'group';
    const budgetUsd = isGroup
      ? Number(entity.metadata.annotations?.[MONTHLY_BUDGET_ANNOTATION])
      : Number((entity.spec as any)?.budget?.monthlyUsd);
    // Month to date plus the 7 days before it, for the run rate.
    const month = monthToDate(now);
    const daily = await this.getDailySpend(
      {
        from: month.from - 8 * DAY,
        to: now,
        groupBy: isGroup ? 'team' : 'pipeline',
        team: isGroup ? entityRef : undefined,
        includeSubteams: true,
      },
      credentials,
    );
    const ref = entityRef.toLowerCase();
    const perDay = new Map<string, number>();
    for (const item of daily.items) {
      // For a team, every sub-team item counts towards it; for a pipeline, only its own key.
      if (!isGroup && item.key !== ref) continue;
      perDay.set(item.day, (perDay.get(item.day) ?? 0) + item.costUsd);
    }
    const dailyCosts = [...perDay.entries()].map(([day, costUsd]) => ({
      day,
      costUsd,
    }));
    const forecast = forecastMonthEnd({ dailyCosts, now });
    return {
      entityRef: ref,
      budget:
        Number.isFinite(budgetUsd) && budgetUsd > 0
          ? budgetReport({ budgetUsd, dailyCosts, now })
          : null,
      monthToDateUsd: forecast.monthToDateUsd,
      forecastUsd: forecast.forecastUsd,
    };
  }

  async getUnpriced(
    range: { from: number; to: number },
    credentials: BackstageCredentials,
  ): Promise<UnpricedModelsResponse> {
    await this.context(credentials);
    const byModel = new Map<string, UnpricedModelsResponse['items'][number]>();
    for (const row of await this.options.store.aggregate(range)) {
      if (row.unpricedRequests === 0) continue;
      const key = `${row.provider ?? ''}\u0000${row.model}`;
      const item = byModel.get(key) ?? {
        model: row.model,
        provider: row.provider,
        requests: 0,
      };
      item.requests += row.unpricedRequests;
      byModel.set(key, item);
    }
    return {
      items: [...byModel.values()].sort((a, b) => b.requests - a.requests),
    };
  }

  /** The catalog (groups and the entities usage names) and what the caller may see. */
  private async context(credentials: BackstageCredentials) {
    const [decision] = await this.options.permissions.authorizeConditional(
      [{ permission: aiPlatformSpendReadPermission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.DENY) {
      throw new NotAllowedError(
        `You need the ${aiPlatformSpendReadPermission.name} permission to see inference spend`,
      );
    }
    const { catalog } = this.options;
    const groups: Entity[] = [];
    for await (const page of catalog.streamEntities(
      { filter: { kind: 'Group' }, fields: GROUP_FIELDS },
      { credentials },
    )) {
      groups.push(...page);
    }
    const named = await this.namedEntities(credentials);
    const index = buildCatalogIndex([...groups, ...named]);
    const groupRefs = groups.map(g => stringifyEntityRef(g).toLowerCase());
    const attribute = createUsageAttributor(index, groupRefs);
    const roots = groups
      .filter(g => !(g.spec as any)?.parent)
      .map(g => stringifyEntityRef(g).toLowerCase());
    return { attribute, decision, roots, groupRefs: new Set(groupRefs) };
  }

  /** Components, resources, APIs, systems and pipelines that usage may name. */
  private async namedEntities(
    credentials: BackstageCredentials,
  ): Promise<Entity[]> {
    const entities: Entity[] = [];
    for await (const page of this.options.catalog.streamEntities(
      {
        filter: {
          kind: [
            'Component',
            'Resource',
            'API',
            'System',
            'AIPipeline',
            'User',
          ],
        },
        fields: ENTITY_FIELDS,
      },
      { credentials },
    )) {
      entities.push(...page);
    }
    return entities;
  }

  private checkTeam(
    team: string | undefined,
    context: { groupRefs: Set<string> },
  ) {
    if (team && !context.groupRefs.has(team)) {
      throw new NotFoundError(`No Group ${team} in the catalog`);
    }
  }

  /** Attributes each aggregate row and drops what the caller may not see. */
  private toSpendRows(
    rows: UsageAggregateRow[],
    context: {
      attribute: Attributor;
      decision: PolicyDecision;
      roots: string[];
    },
  ): SpendRow[] {
    const authorize = createConditionAuthorizer(this.options.teamRules);
    const cache = new Map<string, boolean>();
    const allowed = (team: AiPlatformTeamResource) => {
      if (context.decision.result === AuthorizeResult.ALLOW) return true;
      const key = team.ref;
      if (!cache.has(key)) cache.set(key, authorize(context.decision, team));
      return cache.get(key)!;
    };
    const result: SpendRow[] = [];
    for (const row of rows) {
      const a = context.attribute({
        entityRef: row.entityCandidates[0] ?? null,
        tags: row.entityCandidates
          .slice(1)
          .map(r => `backstage:${r}`)
          .concat(row.tag ? [row.tag] : []),
        team: row.team,
        keyAlias: row.keyAlias,
      });
      const team: AiPlatformTeamResource = a.owner
        ? { ref: a.owner, ancestors: a.teams.slice(1) }
        : { ref: UNATTRIBUTED_TEAM, ancestors: context.roots };
      if (!allowed(team)) continue;
      const tags = row.tag ? [row.tag] : [];
      result.push({
        costUsd: row.costUsd,
        inputTokens: row.inputTokens,
        outputTokens: row.outputTokens,
        requests: row.requests,
        unpricedRequests: row.unpricedRequests,
        model: row.model,
        entityRef: a.entityRef,
        owner: a.owner,
        teams: a.teams,
        pipelines: a.pipelines,
        keyAlias: row.keyAlias,
        team: row.team,
        tags,
        // Named here, where the entity ref the record named (unknown to the
        // catalog) is still at hand: usage named by nothing else is keyed by
        // it, so it says what to register.
        unattributed:
          a.entityRef === null && a.owner === null
            ? unattributedKey({
                entityRef: row.entityCandidates[0] ?? null,
                keyAlias: row.keyAlias,
                team: row.team,
                tags,
              })
            : null,
      });
    }
    return result;
  }
}
