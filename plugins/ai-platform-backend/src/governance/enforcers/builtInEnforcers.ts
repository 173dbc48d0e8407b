import { Config } from '@backstage/config';
import { HaltEnforcer } from '@aiplatform/plugin-ai-platform-node';
import {
  createEnvoyAiGatewayEnforcer,
  readEnvoyAiGatewayEnforcerOptions,
} from './envoyAiGatewayEnforcer';
import {
  createKubernetesEnforcer,
  readKubernetesEnforcerOptions,
} from './kubernetesEnforcer';
import {
  createLiteLLMEnforcer,
  readLiteLLMEnforcerOptions,
} from './litellmEnforcer';
import {
  createWebhookEnforcer,
  readWebhookEnforcerOptions,
} from './webhookEnforcer';

/**
 * The built-in halt enforcers that `aiPlatform.governance.enforcers`
 * enables. Throws at startup for bad config, naming the key.
 */
export function readBuiltInEnforcers(config: Config): HaltEnforcer[] {
  const enforcers: HaltEnforcer[] = [];
  const litellm = readLiteLLMEnforcerOptions(config);
  if (litellm) enforcers.push(createLiteLLMEnforcer(litellm));
  const webhook = readWebhookEnforcerOptions(config);
  if (webhook) enforcers.push(createWebhookEnforcer(webhook));
  const kubernetes = readKubernetesEnforcerOptions(config);
  if (kubernetes) enforcers.push(createKubernetesEnforcer(kubernetes));
  const envoyAiGateway = readEnvoyAiGatewayEnforcerOptions(config);
  if (envoyAiGateway) {
    enforcers.push(createEnvoyAiGatewayEnforcer(envoyAiGateway));
  }
  return enforcers;
}
