import yaml from 'yaml';
import { GatewayRoute, SelfHostedModel } from './routeInput';

function limits(route: GatewayRoute) {
  return {
    models: route.models,
    max_budget: route.monthlyBudgetUsd,
    budget_duration: route.monthlyBudgetUsd !== undefined ? '30d' : undefined,
    tpm_limit: route.tokensPerMinute,
    rpm_limit: route.requestsPerMinute,
  };
}

/** Body of LiteLLM `POST /team/new`. */
export function teamRequest(route: GatewayRoute) {
  return {
    team_alias: route.name,
    ...limits(route),
    metadata: { backstage_owner: route.owner },
  };
}

/** Body of LiteLLM `POST /key/generate`, without the `team_id`. */
export function keyRequest(route: GatewayRoute) {
  return {
    key_alias: route.entityRef,
    ...limits(route),
    metadata: { tags: [`backstage:${route.entityRef}`] },
  };
}

/** Body of LiteLLM `POST /model/new` for a self-hosted vLLM server. */
export function modelRequest(selfHosted: SelfHostedModel) {
  return {
    model_name: selfHosted.model,
    litellm_params: {
      model: `hosted_vllm/${selfHosted.model}`,
      api_base: `http://${selfHosted.host}:${selfHosted.port}/v1`,
    },
  };
}

/**
 * `litellm-team.yaml`: the team, key and (self-hosted) model settings. It
 * names the Secret that holds the key, never the key itself.
 */
export function litellmSettingsFile(route: GatewayRoute): string {
  return yaml.stringify({
    team: teamRequest(route),
    key: { ...keyRequest(route), secretRef: { name: route.secretName } },
    ...(route.selfHosted && { model: modelRequest(route.selfHosted) }),
  });
}
