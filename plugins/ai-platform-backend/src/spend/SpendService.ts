import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
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
  aiPlatformSpendReadPermission,
  AiPlatformTeamResource,
  DailySpendResponse,
  SpendBudgetResponse,
  SpendGroupBy,
  SpendResponse,
  UNATTRIBUTED_TEAM,
  UnpricedModelsResponse,
} from '@aiplatform/plugin-ai-platform-common';
import {
  aggregateSpend,
  budgetReport,
  buildCatalogIndex,
  buildGroupParents,
  createUsageAttributor,
  forecastMonthEnd,
  groupAncestors,
  monthToDate,
  parseLiteLLMBody,
  SpendRow,
  toUsageRecord,
  tryNormalizeRef,
  unattributedKey,
  UsageIngestResult,
  UsageRecordInput,
  UsageTimeWindow,
  validateUsageBatch,
} from '@aiplatform/plugin-ai-platform-node';
import { NdjsonLines } from '../shared/ingestion/ndjsonLines';
import {
  emptyUsageError,
  ingestUsageNdjson,
  invalidUsageError,
} from './ingestUsageNdjson';
import { UsageAggregateRow, UsageStore } from './UsageStore';

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

/** Whose spend a caller may read: a team (or user) ref in, yes or no out. */
export type SpendReader = (teamRef: string) => boolean;

/** Gateway usage in; per-team spend out, attributed through the catalog at read time. */
export class SpendService {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      store: UsageStore;
      permissions: PermissionsService;
      teamRules: PermissionRuleset<AiPlatformTeamResource, unknown, string>;
      /** Raw usage retention: older records are refused (default 90 days). */
      rawRetentionMs?: number;
      /** How far ahead of now a timestamp may be (default 5 minutes). */
      clockSkewMs?: number;
      /** The clock (tests pin it). */
      now?: () => number;
    },
  ) {}

  /**
   * The timestamps ingestion accepts now: from the start of raw retention
   * (an older record's replay could no longer be recognised, so it would be
   * counted twice) to the clock skew ahead.
   */
  usageWindow(): UsageTimeWindow {
    const now = (this.options.now ?? Date.now)();
    return {
      from: now - (this.options.rawRetentionMs ?? 90 * DAY),
      to: now + (this.options.clockSkewMs ?? 300_000),
    };
  }

  /** `POST /usage` JSON: `{ records }`. All or nothing; idempotent on id. */
  async ingestUsage(body: unknown): Promise<UsageIngestResult> {
    return this.write(
      validateUsageBatch(body, { window: this.usageWindow() }),
      'usage batch',
    );
  }

  /**
   * `POST /usage` NDJSON, read as it streams in: all or nothing in one
   * transaction, idempotent on id, the same 400s as JSON.
   */
  async ingestUsageNdjson(lines: NdjsonLines): Promise<UsageIngestResult> {
    return ingestUsageNdjson(lines, {
      store: this.options.store,
      window: this.usageWindow(),
    });
  }

  /** `POST /usage/litellm`: SpendLogs rows, a bare array or a v2 page. */
  async ingestLiteLLM(body: unknown): Promise<UsageIngestResult> {
    return this.write(
      parseLiteLLMBody(body, { window: this.usageWindow() }),
      'LiteLLM spend logs',
    );
  }

  /**
   * Whose spend the caller may read, through `ai-platform.spend.read` as
   * `/spend` applies it: for dashboards' cost, budgets and the audit log.
   */
  async spendReader(credentials: BackstageCredentials): Promise<SpendReader> {
    const decision = await this.decision(credentials);
    if (decision.result === AuthorizeResult.ALLOW) return () => true;
    if (decision.result === AuthorizeResult.DENY) return () => false;
    const groups = await this.groups(credentials);
    const parents = buildGroupParents(
      buildCatalogIndex(groups),
      groups.map(g => stringifyEntityRef(g).toLowerCase()),
    );
    const allowed = this.allowed(decision);
    return teamRef => {
      const ref = tryNormalizeRef(teamRef, { defaultKind: 'group' });
      return !!ref && allowed({ ref, ancestors: groupAncestors(parents, ref) });
    };
  }

  private async write(
    result: { records: UsageRecordInput[] } | { issues: any[] },
    what: string,
  ): Promise<UsageIngestResult> {
    if ('issues' in result) {
      throw invalidUsageError(what, result.issues, result.issues.length);
    }
    if (result.records.length === 0) throw emptyUsageError(what);
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
    const team = isGroup
      ? stringifyEntityRef(entity)
      : String((entity.spec as any)?.owner ?? '');
    if (!(await this.spendReader(credentials))(team)) {
      throw new NotAllowedError(
        `You need the ${aiPlatformSpendReadPermission.name} permission for the spend of ${team} to see the budget of ${entityRef}`,
      );
    }
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

  /** Models nobody could price, in the usage the caller may read. */
  async getUnpriced(
    range: { from: number; to: number },
    credentials: BackstageCredentials,
  ): Promise<UnpricedModelsResponse> {
    const [rows, context] = await Promise.all([
      this.options.store.aggregate(range),
      this.context(credentials),
    ]);
    const byModel = new Map<string, UnpricedModelsResponse['items'][number]>();
    for (const row of this.toSpendRows(rows, context)) {
      if (!row.unpricedRequests) continue;
      const key = `${row.provider ?? ''}\u0000${row.model}`;
      const item = byModel.get(key) ?? {
        model: row.model,
        provider: row.provider ?? null,
        requests: 0,
      };
      item.requests += row.unpricedRequests;
      byModel.set(key, item);
    }
    return {
      items: [...byModel.values()].sort((a, b) => b.requests - a.requests),
    };
  }

  private async decision(
    credentials: BackstageCredentials,
  ): Promise<PolicyDecision> {
    const [decision] = await this.options.permissions.authorizeConditional(
      [{ permission: aiPlatformSpendReadPermission }],
      { credentials },
    );
    return decision;
  }

  private async groups(credentials: BackstageCredentials): Promise<Entity[]> {
    const groups: Entity[] = [];
    for await (const page of this.options.catalog.streamEntities(
      { filter: { kind: 'Group' }, fields: GROUP_FIELDS },
      { credentials },
    )) {
      groups.push(...page);
    }
    return groups;
  }

  /** The team resources a decision allows (cached per team). */
  private allowed(
    decision: PolicyDecision,
  ): (team: AiPlatformTeamResource) => boolean {
    if (decision.result === AuthorizeResult.ALLOW) return () => true;
    if (decision.result === AuthorizeResult.DENY) return () => false;
    const authorize = createConditionAuthorizer(this.options.teamRules);
    const cache = new Map<string, boolean>();
    return team => {
      const key = `${team.ref}\u0000${team.ancestors.join('\u0000')}`;
      let ok = cache.get(key);
      if (ok === undefined) {
        ok = authorize(decision, team);
        cache.set(key, ok);
      }
      return ok;
    };
  }

  /** The catalog (groups and the entities usage names) and what the caller may see. */
  private async context(credentials: BackstageCredentials) {
    const decision = await this.decision(credentials);
    if (decision.result === AuthorizeResult.DENY) {
      throw new NotAllowedError(
        `You need the ${aiPlatformSpendReadPermission.name} permission to see inference spend`,
      );
    }
    const groups = await this.groups(credentials);
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
    const allowed = this.allowed(context.decision);
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
        provider: row.provider,
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
