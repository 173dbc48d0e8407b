import { Config } from '@backstage/config';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  EnforcementResult,
  HaltEnforcementContext,
  HaltEnforcer,
  entityRefFromTag,
  explicitEntityRef,
} from '@aiplatform/plugin-ai-platform-node';
import { configError, readBoundedNumber, readHttpUrl } from './enforcerConfig';

const CONFIG_KEY = 'aiPlatform.governance.enforcers.litellm';
/** `GET /key/list` page size (LiteLLM's maximum is 100). */
const KEY_PAGE_SIZE = 100;
/** A bound on `GET /key/list` pages read for one halt. */
const MAX_KEY_PAGES = 1_000;

export interface LiteLLMEnforcerOptions {
  /** The proxy's base URL, without a trailing slash. */
  baseUrl: string;
  /** An admin key (the master key): block and unblock need one. */
  apiKey?: string;
  /** Per request. */
  timeoutMs: number;
  /** Replaces the global fetch (tests). */
  fetch?: typeof fetch;
}

/** One virtual key of `GET /key/list?return_full_object=true`. */
interface LiteLLMKey {
  /** The key's hash: what `/key/block` takes instead of the key. */
  token?: string | null;
  key_alias?: string | null;
  key_name?: string | null;
  team_id?: string | null;
  metadata?: unknown;
  tags?: unknown;
  blocked?: boolean | null;
}

/** One team of `GET /team/list`. */
interface LiteLLMTeam {
  team_id?: string | null;
  team_alias?: string | null;
  metadata?: unknown;
  tags?: unknown;
  blocked?: boolean | null;
}

/** What a result's `undo` says: this halt blocked it, so resume unblocks it. */
type LiteLLMUndo =
  | { kind: 'key'; token: string }
  | { kind: 'team'; teamId: string };

/**
 * `aiPlatform.governance.enforcers.litellm`, or undefined when absent. Its
 * `baseUrl` and `apiKey` default to `aiPlatform.litellm.baseUrl` / `apiKey`
 * (the spend collector's).
 */
export function readLiteLLMEnforcerOptions(
  config: Config,
): LiteLLMEnforcerOptions | undefined {
  if (!config.has(CONFIG_KEY)) return undefined;
  const own = config.getConfig(CONFIG_KEY);
  const collector = config.getOptionalConfig('aiPlatform.litellm');
  const baseUrl =
    own.getOptionalString('baseUrl') ?? collector?.getOptionalString('baseUrl');
  if (!baseUrl) {
    throw configError(
      `${CONFIG_KEY}.baseUrl`,
      'is required unless aiPlatform.litellm.baseUrl is set',
    );
  }
  const baseUrlKey = own.has('baseUrl')
    ? `${CONFIG_KEY}.baseUrl`
    : 'aiPlatform.litellm.baseUrl';
  return {
    baseUrl: readHttpUrl(baseUrl, baseUrlKey),
    apiKey:
      own.getOptionalString('apiKey') ?? collector?.getOptionalString('apiKey'),
    timeoutMs:
      readBoundedNumber(own, 'timeoutSeconds', `${CONFIG_KEY}.timeoutSeconds`, {
        min: 1,
        max: 300,
        fallback: 10,
      }) * 1000,
  };
}

/** The object, or undefined (the admin API answers metadata as an object). */
function asObject(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A ref this string names: itself a full ref, or a `backstage:<ref>` tag. */
function refOf(value: unknown): string | undefined {
  return entityRefFromTag(value) ?? explicitEntityRef(value);
}

/**
 * Whether an alias, the metadata (its string values and string arrays,
 * `tags` among them) or the tags name one of `refs`.
 */
function namesAny(
  refs: Set<string>,
  alias: unknown,
  metadata: unknown,
  tags: unknown,
): boolean {
  const values: unknown[] = [alias];
  for (const value of Object.values(asObject(metadata) ?? {})) {
    values.push(...(Array.isArray(value) ? value : [value]));
  }
  if (Array.isArray(tags)) values.push(...tags);
  return values.some(v => {
    const ref = refOf(v);
    return !!ref && refs.has(ref);
  });
}

/**
 * The team aliases the scaffolder's gateway action writes for these refs:
 * the entity name of a `component:default/<name>` stage.
 */
function scaffoldedTeamAliases(refs: string[]): Set<string> {
  const aliases = new Set<string>();
  for (const ref of refs) {
    const { kind, namespace, name } = parseEntityRef(ref);
    if (kind === 'component' && namespace === 'default') aliases.add(name);
  }
  return aliases;
}

class LiteLLMAdmin {
  private readonly doFetch: typeof fetch;

  constructor(private readonly options: LiteLLMEnforcerOptions) {
    this.doFetch = options.fetch ?? fetch;
  }

  async request(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<unknown> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.options.apiKey) {
      headers.authorization = `Bearer ${this.options.apiKey}`;
    }
    if (body !== undefined) headers['content-type'] = 'application/json';
    const label = `LiteLLM ${method} ${path.split('?')[0]}`;
    let response: Response;
    try {
      response = await this.doFetch(`${this.options.baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      const cause = (error as { cause?: { message?: string } }).cause;
      throw new Error(
        `${label}: ${
          (error as Error).name === 'TimeoutError'
            ? `no answer within ${this.options.timeoutMs / 1000} s`
            : cause?.message ?? (error as Error).message
        }`,
      );
    }
    const text = await response.text();
    if (!response.ok) {
      throw new Error(
        `${label}: ${response.status} ${response.statusText}`.trim(),
      );
    }
    try {
      return text ? JSON.parse(text) : undefined;
    } catch {
      throw new Error(`${label}: the answer is not JSON`);
    }
  }

  async listKeys(): Promise<LiteLLMKey[]> {
    const keys: LiteLLMKey[] = [];
    for (let page = 1; page <= MAX_KEY_PAGES; page++) {
      const body = asObject(
        await this.request(
          'GET',
          `/key/list?return_full_object=true&page=${page}&size=${KEY_PAGE_SIZE}`,
        ),
      );
      const items = Array.isArray(body?.keys) ? body!.keys : [];
      keys.push(
        ...items.filter((k): k is LiteLLMKey => !!k && typeof k === 'object'),
      );
      const totalPages = Number(body?.total_pages ?? 1);
      if (!items.length || !(page < totalPages)) break;
    }
    return keys;
  }

  async listTeams(): Promise<LiteLLMTeam[]> {
    const body = await this.request('GET', '/team/list');
    const items = Array.isArray(body)
      ? body
      : (asObject(body)?.teams as unknown[] | undefined) ?? [];
    return items.filter((t): t is LiteLLMTeam => !!t && typeof t === 'object');
  }
}

function keyTarget(key: LiteLLMKey): string {
  return `key:${key.key_alias || key.key_name || key.token?.slice(0, 12)}`;
}

function teamTarget(team: LiteLLMTeam): string {
  return `team:${team.team_alias || team.team_id}`;
}

/** One key or team, whatever the result says about it. */
function undoId(undo: LiteLLMUndo): string {
  return undo.kind === 'key' ? `key ${undo.token}` : `team ${undo.teamId}`;
}

function undoOf(result: EnforcementResult): LiteLLMUndo | undefined {
  const undo = result.undo as Partial<LiteLLMUndo> | undefined;
  if (undo?.kind === 'key' && typeof undo.token === 'string') {
    return { kind: 'key', token: undo.token };
  }
  if (undo?.kind === 'team' && typeof (undo as any).teamId === 'string') {
    return { kind: 'team', teamId: (undo as any).teamId };
  }
  return undefined;
}

/**
 * Blocks, through LiteLLM's admin API, the virtual keys and teams that
 * serve the pipeline, and unblocks on resume exactly those this halt
 * blocked. A key or team serves it when its alias, its metadata (a string
 * value, or `tags`) or its tags name the pipeline or one of its stage
 * entities (as an entity ref or a `backstage:<ref>` tag); a team too when
 * its alias is the name of a `component:default/<name>` stage, which is
 * what the scaffolder's gateway action creates.
 */
export function createLiteLLMEnforcer(
  options: LiteLLMEnforcerOptions,
): HaltEnforcer {
  const admin = new LiteLLMAdmin(options);

  /** `POST /key/block|unblock { key }` or `/team/block|unblock { team_id }`. */
  const setBlocked = (undo: LiteLLMUndo, blocked: boolean) => {
    const verb = blocked ? 'block' : 'unblock';
    return undo.kind === 'key'
      ? admin.request('POST', `/key/${verb}`, { key: undo.token })
      : admin.request('POST', `/team/${verb}`, { team_id: undo.teamId });
  };

  async function block(
    target: string,
    undo: LiteLLMUndo,
  ): Promise<EnforcementResult> {
    try {
      await setBlocked(undo, true);
      return {
        enforcer: 'litellm',
        target,
        status: 'applied',
        message: 'blocked',
        undo,
      };
    } catch (error) {
      // The undo is kept: a retry that finds it blocked knows it was ours.
      return {
        enforcer: 'litellm',
        target,
        status: 'failed',
        message: (error as Error).message,
        undo,
      };
    }
  }

  async function halt(
    ctx: HaltEnforcementContext,
  ): Promise<EnforcementResult[]> {
    const refs = new Set(ctx.entityRefs);
    const teamAliases = scaffoldedTeamAliases(ctx.entityRefs);
    const previous = ctx.previous ?? [];
    // What an earlier attempt of this halt blocked, or tried to.
    const ours = new Set(
      previous
        .map(undoOf)
        .filter((u): u is LiteLLMUndo => !!u)
        .map(undoId),
    );
    const [keys, teams] = await Promise.all([
      admin.listKeys(),
      admin.listTeams(),
    ]);
    // The keys and teams that serve the pipeline, as one list.
    const subjects: Array<{
      target: string;
      blocked: boolean;
      undo: LiteLLMUndo;
    }> = [
      ...keys
        .filter(k => k.token && namesAny(refs, k.key_alias, k.metadata, k.tags))
        .map(k => ({
          target: keyTarget(k),
          blocked: !!k.blocked,
          undo: { kind: 'key' as const, token: k.token! },
        })),
      ...teams
        .filter(
          t =>
            t.team_id &&
            (namesAny(refs, t.team_alias, t.metadata, t.tags) ||
              (t.team_alias && teamAliases.has(t.team_alias))),
        )
        .map(t => ({
          target: teamTarget(t),
          blocked: !!t.blocked,
          undo: { kind: 'team' as const, teamId: t.team_id! },
        })),
    ];
    const results: EnforcementResult[] = [];
    const seen = new Set<string>();
    for (const { target, blocked, undo } of subjects) {
      const id = undoId(undo);
      seen.add(id);
      if (blocked && ours.has(id)) {
        results.push({
          enforcer: 'litellm',
          target,
          status: 'applied',
          message: 'blocked',
          undo,
        });
      } else if (blocked) {
        results.push({
          enforcer: 'litellm',
          target,
          status: 'applied',
          message: 'already blocked before the halt; stays blocked on resume',
        });
      } else {
        results.push(await block(target, undo));
      }
    }

    // Blocked by an earlier attempt but no longer listed as serving the
    // pipeline: kept, so that resume still unblocks them.
    for (const result of previous) {
      const undo = undoOf(result);
      if (!undo || result.status !== 'applied') continue;
      if (!seen.has(undoId(undo))) results.push(result);
    }
    return results;
  }

  async function resume(
    _ctx: HaltEnforcementContext,
    previous: EnforcementResult[],
  ): Promise<EnforcementResult[]> {
    const results: EnforcementResult[] = [];
    for (const result of previous) {
      const undo = undoOf(result);
      // Not blocked by this halt: already blocked before it, or its block
      // failed (then someone else may have blocked it since).
      if (!undo || result.status !== 'applied') continue;
      try {
        await setBlocked(undo, false);
        results.push({
          enforcer: 'litellm',
          target: result.target,
          status: 'applied',
          message: 'unblocked',
        });
      } catch (error) {
        results.push({
          enforcer: 'litellm',
          target: result.target,
          status: 'failed',
          message: (error as Error).message,
          undo,
        });
      }
    }
    return results;
  }

  return { id: 'litellm', halt, resume };
}
