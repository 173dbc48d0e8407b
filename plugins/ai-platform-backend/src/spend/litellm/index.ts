export {
  DEFAULT_LITELLM_INITIAL_LOOKBACK_MS,
  DEFAULT_LITELLM_LOOKBACK_MS,
  DEFAULT_LITELLM_PAGE_SIZE,
  DEFAULT_LITELLM_SCHEDULE,
  LEGACY_LITELLM_PAGE_SIZE,
  LiteLLMCollector,
  LiteLLMRequestError,
  formatLiteLLMDate,
} from './LiteLLMCollector';
export type {
  LiteLLMCollectResult,
  LiteLLMCollectorDeps,
  LiteLLMCollectorOptions,
} from './LiteLLMCollector';
export {
  LITELLM_COLLECTOR_TASK_ID,
  scheduleLiteLLMCollector,
} from './scheduleLiteLLMCollector';
