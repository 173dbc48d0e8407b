import { calcPrice, findProvider } from '@pydantic/genai-prices';
import { CostSource } from './types';

/**
 * The version of `@pydantic/genai-prices` whose bundled price data prices
 * usage. Written down here (the package does not export its version, and this
 * package also runs in browsers); a test checks it against the installed one.
 *
 * @public
 */
export const GENAI_PRICES_VERSION = '0.1.8';

/**
 * `priceSource` of costs the gateway reported.
 *
 * @public
 */
export const GATEWAY_PRICE_SOURCE = 'gateway';

/**
 * Providers that run models on our own hardware: their calls cost GPUs, not
 * tokens, so a public price list would invent a cost. Their usage is
 * `unpriced` unless the gateway reports a cost. (LiteLLM provider names.)
 *
 * @public
 */
export const SELF_HOSTED_PROVIDERS: ReadonlySet<string> = new Set([
  'hosted_vllm',
  'vllm',
  'ollama',
  'ollama_chat',
  'lm_studio',
  'llamafile',
  'triton',
  'xinference',
  'kserve',
]);

/** @public */
export interface PricedUsage {
  /** USD; null when nobody could price it. */
  costUsd: number | null;
  costSource: CostSource;
  /**
   * `gateway`, or `genai-prices@<version>:<provider>/<model id>` naming the
   * price-table entry that matched; null when unpriced.
   */
  priceSource: string | null;
}

/** @public */
export interface PriceableUsage {
  model: string;
  provider?: string | null;
  inputTokens: number;
  outputTokens: number;
  costUsd?: number | null;
  /** Epoch ms of the call: prices that changed over time are read as of then. */
  timestamp?: number;
}

function tablePrice(
  model: string,
  providerId: string | undefined,
  usage: { input_tokens: number; output_tokens: number },
  timestamp: Date | undefined,
) {
  try {
    return calcPrice(usage, model, {
      ...(providerId ? { providerId } : {}),
      ...(timestamp ? { timestamp } : {}),
    });
  } catch {
    return null;
  }
}

/**
 * The price-table lookups to try, most specific first:
 * 1. the model at the record's provider, when genai-prices knows the
 *    provider (it maps LiteLLM names: `vertex_ai` → google, `bedrock` → aws);
 * 2. a `provider/model` name (LiteLLM's style) split into the two;
 * 3. the model alone, matched across all providers (a provider unknown to
 *    the table, or a proxy such as `openrouter` serving `gpt-4o`). The
 *    `priceSource` then names the provider whose price was used.
 */
function candidates(
  model: string,
  provider: string | undefined,
): Array<{ model: string; providerId?: string }> {
  const list: Array<{ model: string; providerId?: string }> = [];
  if (provider && findProvider({ providerId: provider })) {
    list.push({ model, providerId: provider });
  }
  const slash = model.indexOf('/');
  if (slash > 0) {
    const prefix = model.slice(0, slash);
    const rest = model.slice(slash + 1);
    if (findProvider({ providerId: prefix })) {
      list.push({ model: rest, providerId: prefix });
    }
    list.push({ model: rest });
  }
  list.push({ model });
  return list;
}

const DAY_MS = 86_400_000;
const PRICE_CACHE_LIMIT = 10_000;

interface PriceCacheEntry {
  /** The lookup that priced this model, or undefined when none could. */
  match?: { model: string; providerId?: string };
  priceSource: string | null;
  /** USD per token when the price is a flat rate per input and output token. */
  linear?: { input: number; output: number };
}

/**
 * Resolved prices by provider, model and UTC day. Looking a model up in the
 * table costs tens of microseconds; a gateway sends the same few models all
 * day, so the match (and, for flat prices, the per-token rates) is cached.
 */
const PRICE_CACHE = new Map<string, PriceCacheEntry>();

function resolvePrice(
  model: string,
  provider: string | undefined,
  record: PriceableUsage,
  at: Date | undefined,
): PriceCacheEntry {
  const usage = {
    input_tokens: record.inputTokens,
    output_tokens: record.outputTokens,
  };
  for (const c of candidates(model, provider)) {
    const result = tablePrice(c.model, c.providerId, usage, at);
    if (!result || !Number.isFinite(result.total_price)) continue;
    const priceSource = `genai-prices@${GENAI_PRICES_VERSION}:${result.provider.id}/${result.model.id}`;
    const {
      input_mtok: input,
      output_mtok: output,
      ...rest
    } = result.model_price as Record<string, unknown>;
    const flat =
      typeof input === 'number' &&
      (output === undefined || typeof output === 'number') &&
      Object.values(rest).every(v => v === undefined || typeof v === 'number');
    const linear = flat
      ? { input: input / 1e6, output: ((output as number) ?? 0) / 1e6 }
      : undefined;
    // Only trust the flat rates when they reproduce the table's own price.
    const agrees =
      linear &&
      Math.abs(
        usage.input_tokens * linear.input +
          usage.output_tokens * linear.output -
          result.total_price,
      ) < 1e-9;
    return { match: c, priceSource, linear: agrees ? linear : undefined };
  }
  return { priceSource: null };
}

/**
 * Prices one call. The gateway's cost wins when it sent one (`gateway`);
 * otherwise tokens × the `@pydantic/genai-prices` table (`price-table`,
 * with the entry that matched in `priceSource`); a model the table cannot
 * price, or a self-hosted provider, is `unpriced` with a null cost, never a
 * silent 0.
 *
 * @public
 */
export function priceUsage(record: PriceableUsage): PricedUsage {
  if (
    typeof record.costUsd === 'number' &&
    Number.isFinite(record.costUsd) &&
    record.costUsd >= 0
  ) {
    return {
      costUsd: record.costUsd,
      costSource: 'gateway',
      priceSource: GATEWAY_PRICE_SOURCE,
    };
  }
  const unpriced: PricedUsage = {
    costUsd: null,
    costSource: 'unpriced',
    priceSource: null,
  };
  const model = record.model.trim();
  const provider = record.provider?.trim().toLowerCase() || undefined;
  if (!model || (provider && SELF_HOSTED_PROVIDERS.has(provider))) {
    return unpriced;
  }
  // The table refuses token counts that are not whole and non-negative.
  if (
    !(Number.isSafeInteger(record.inputTokens) && record.inputTokens >= 0) ||
    !(Number.isSafeInteger(record.outputTokens) && record.outputTokens >= 0)
  ) {
    return unpriced;
  }
  const at =
    record.timestamp !== undefined ? new Date(record.timestamp) : undefined;
  const key = `${provider ?? ''}\u0000${model}\u0000${
    at ? Math.floor(at.getTime() / DAY_MS) : 'now'
  }`;
  let entry = PRICE_CACHE.get(key);
  if (!entry) {
    entry = resolvePrice(model, provider, record, at);
    if (PRICE_CACHE.size >= PRICE_CACHE_LIMIT) PRICE_CACHE.clear();
    PRICE_CACHE.set(key, entry);
  }
  if (!entry.match) return unpriced;
  const costUsd = entry.linear
    ? record.inputTokens * entry.linear.input +
      record.outputTokens * entry.linear.output
    : tablePrice(
        entry.match.model,
        entry.match.providerId,
        {
          input_tokens: record.inputTokens,
          output_tokens: record.outputTokens,
        },
        at,
      )?.total_price;
  if (costUsd === undefined || !Number.isFinite(costUsd)) return unpriced;
  return { costUsd, costSource: 'price-table', priceSource: entry.priceSource };
}
