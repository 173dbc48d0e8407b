import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { assertDnsLabel } from '../util';

/** The LiteLLM proxy admin API (`aiPlatform.gateway.litellm`). */
export interface LitellmAdminSettings {
  url: string;
  key: string;
}

/** Where generated gateway keys are stored (`aiPlatform.gateway.kubernetes`). */
export interface KubernetesSettings {
  apiUrl: string;
  token: string;
  namespace: string;
}

/** `aiPlatform.gateway`, checked. */
export interface GatewaySettings {
  kind: 'envoy' | 'litellm';
  /** The OpenAI-compatible base URL, without trailing slashes. */
  gatewayUrl: string;
  envoy: { gatewayName: string; upstreamBackend: string };
  /** Set only for the LiteLLM gateway with the admin API configured. */
  litellmAdmin?: LitellmAdminSettings;
  kubernetes?: KubernetesSettings;
}

function readHttpUrl(config: Config, key: string): string {
  const value = config.getString(key);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(`${key} must be an http(s) URL, got '${value}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(`${key} must be an http(s) URL, got '${value}'`);
  }
  return value.replace(/\/+$/, '');
}

function readKubernetes(config: Config): KubernetesSettings | undefined {
  const kubernetes = config.getOptionalConfig('aiPlatform.gateway.kubernetes');
  if (!kubernetes) {
    return undefined;
  }
  const namespace = kubernetes.getString('namespace');
  assertDnsLabel(namespace, 'aiPlatform.gateway.kubernetes.namespace');
  return {
    apiUrl: readHttpUrl(config, 'aiPlatform.gateway.kubernetes.apiUrl'),
    token: kubernetes.getString('token'),
    namespace,
  };
}

function readLitellmAdmin(config: Config): LitellmAdminSettings | undefined {
  const hasUrl = config.has('aiPlatform.gateway.litellm.adminUrl');
  const hasKey = config.has('aiPlatform.gateway.litellm.adminKey');
  if (hasUrl !== hasKey) {
    throw new InputError(
      'aiPlatform.gateway.litellm.adminUrl and aiPlatform.gateway.litellm.adminKey must be set together',
    );
  }
  if (!hasUrl) {
    return undefined;
  }
  return {
    url: readHttpUrl(config, 'aiPlatform.gateway.litellm.adminUrl'),
    key: config.getString('aiPlatform.gateway.litellm.adminKey'),
  };
}

/**
 * Reads and checks `aiPlatform.gateway`. Refuses a LiteLLM admin API without
 * `aiPlatform.gateway.kubernetes`: a generated key would have nowhere safe to go.
 */
export function readGatewaySettings(config: Config): GatewaySettings {
  const kind = config.getOptionalString('aiPlatform.gateway.kind');
  if (kind !== 'envoy' && kind !== 'litellm') {
    throw new InputError(
      `aiPlatform.gateway.kind must be 'envoy' or 'litellm', got '${kind}'`,
    );
  }
  const settings: GatewaySettings = {
    kind,
    gatewayUrl: config
      .getString('aiPlatform.gateway.baseUrl')
      .replace(/\/+$/, ''),
    envoy: {
      gatewayName:
        config.getOptionalString('aiPlatform.gateway.envoy.gatewayName') ??
        'ai-gateway',
      upstreamBackend:
        config.getOptionalString('aiPlatform.gateway.envoy.upstreamBackend') ??
        'llm-provider',
    },
    kubernetes: readKubernetes(config),
  };
  if (kind === 'litellm') {
    settings.litellmAdmin = readLitellmAdmin(config);
    if (settings.litellmAdmin && !settings.kubernetes) {
      throw new InputError(
        'aiPlatform.gateway.litellm.adminUrl is set but aiPlatform.gateway.kubernetes is not: the generated LiteLLM key would have nowhere safe to go. Configure aiPlatform.gateway.kubernetes (apiUrl, token, namespace) or remove the LiteLLM admin settings.',
      );
    }
  }
  return settings;
}
