/**
 * Sample form values of each template, as a user would fill them in (the
 * demo teams; Ivan may act for all of them).
 */

/** llm-service: a support bot of ml-team in the customer-support system. */
export const llmServiceValues = {
  name: 'support-bot',
  description: 'Answers support questions',
  owner: 'group:default/ml-team',
  system: 'system:default/customer-support',
  namespace: 'support',
  models: ['gpt-4o-mini', 'gpt-4o'],
  tokensPerMinute: 50000,
  monthlyBudgetUsd: 300,
};

/** rag-pipeline: ml-platform accountable, stages across five teams. */
export const ragPipelineValues = {
  name: 'docs-qa',
  description: 'Answers employee questions from the handbook',
  owner: 'group:default/ml-platform',
  system: 'system:default/customer-support',
  namespace: 'rag',
  ingestionOwner: 'group:default/data-team',
  embeddingOwner: 'group:default/ml-team',
  indexOwner: 'group:default/platform-team',
  retrievalOwner: 'group:default/search-team',
  generationOwner: 'group:default/ml-team',
  embeddingModel: 'text-embedding-3-small',
  generationModel: 'gpt-4o',
  tokensPerMinute: 200000,
  monthlyBudgetUsd: 800,
  maxFreshnessHours: 6,
  minAccuracy: 0.9,
  maxLatencySeconds: 2.5,
};

/**
 * model-server: ml-team has a quota of 8 GPUs and already uses 5
 * (llama-70b: 3, reranker: 2, see catalogEntities()).
 */
export const vllmValues = {
  name: 'llama-chat',
  description: 'Llama 3.1 8B for internal chat',
  owner: 'group:default/ml-team',
  model: 'meta-llama/Llama-3.1-8B-Instruct',
  servedModelName: 'llama-3.1-8b',
  runtime: 'vllm',
  namespace: 'models',
  flavor: 'a100-80gb',
  count: 2,
};

/** model-server on KServe with a MIG slice. */
export const kserveValues = {
  name: 'qwen-small',
  owner: 'group:default/ml-team',
  model: 'Qwen/Qwen2.5-1.5B-Instruct',
  runtime: 'kserve',
  namespace: 'models',
  flavor: 'mig-1g-10gb',
  count: 1,
};
