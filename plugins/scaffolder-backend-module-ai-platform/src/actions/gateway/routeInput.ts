import {
  AllowedModelSettings,
  allowedModelsFor,
  normalizeOwnerRef,
} from '@aiplatform/plugin-ai-platform-node';
import { InputError } from '@backstage/errors';
import { assertDnsLabel } from '../util';

/** A model server the team runs itself (vLLM, KServe). */
export interface SelfHostedModel {
  model: string;
  host: string;
  port: number;
}

/** The action input as templates pass it. */
export interface RouteInput {
  name: string;
  owner: string;
  models?: string[];
  tokensPerMinute?: number;
  requestsPerMinute?: number;
  monthlyBudgetUsd?: number;
  selfHosted?: SelfHostedModel;
}

/** A checked route: everything the manifests and admin calls need. */
export interface GatewayRoute {
  name: string;
  /** Normalized owner group ref. */
  owner: string;
  /** `component:default/<name>`: the gateway key alias. */
  entityRef: string;
  /** The Secret holding the service's gateway key. */
  secretName: string;
  /** Deduplicated, never empty. */
  models: string[];
  tokensPerMinute?: number;
  requestsPerMinute?: number;
  monthlyBudgetUsd?: number;
  selfHosted?: SelfHostedModel;
}

const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function assertPositive(field: string, value: number | undefined) {
  if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
    throw new InputError(`Invalid ${field} '${value}': must be positive`);
  }
}

function assertPositiveInteger(field: string, value: number | undefined) {
  if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
    throw new InputError(
      `Invalid ${field} '${value}': must be a positive integer`,
    );
  }
}

function checkSelfHosted(selfHosted: SelfHostedModel): SelfHostedModel {
  const { model, host, port } = selfHosted;
  if (typeof model !== 'string' || !/^\S+$/.test(model)) {
    throw new InputError(
      `Invalid selfHosted.model '${model}': must be a non-empty model name without whitespace`,
    );
  }
  const labelsFit =
    typeof host === 'string' && host.split('.').every(l => l.length <= 63);
  if (!labelsFit || !DNS_SUBDOMAIN.test(host) || host.length > 253) {
    throw new InputError(
      `Invalid selfHosted.host '${host}': must be a DNS name such as llama-server or llama-server.default.svc.cluster.local`,
    );
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new InputError(
      `Invalid selfHosted.port '${port}': must be an integer from 1 to 65535`,
    );
  }
  return { model, host, port };
}

/**
 * Checks the whole input. Models must be ones the owner may use, except on a
 * self-hosted route, which serves only the team's own model.
 */
export function checkRouteInput(
  input: RouteInput,
  allowedModels: AllowedModelSettings,
): GatewayRoute {
  const { name, owner } = input;
  assertDnsLabel(name);
  if (typeof owner !== 'string' || owner.trim() === '') {
    throw new InputError(
      'owner must be a group ref such as group:default/ml-team',
    );
  }
  const ownerRef = normalizeOwnerRef(owner);
  const selfHosted = input.selfHosted && checkSelfHosted(input.selfHosted);
  if (input.models !== undefined && !Array.isArray(input.models)) {
    throw new InputError('models must be a list of model names');
  }
  const models = [
    ...new Set(input.models ?? (selfHosted ? [selfHosted.model] : [])),
  ];
  if (models.length === 0) {
    throw new InputError('models must list at least one model');
  }
  if (selfHosted) {
    const other = models.find(model => model !== selfHosted.model);
    if (other !== undefined) {
      throw new InputError(
        `Model '${other}' is not served by the self-hosted model server; a selfHosted route may only list '${selfHosted.model}'`,
      );
    }
  } else {
    const allowed = allowedModelsFor(allowedModels, owner);
    const refused = models.find(model => !allowed.includes(model));
    if (refused !== undefined) {
      throw new InputError(
        `Model '${refused}' is not allowed for ${ownerRef}; allowed models: ${
          allowed.length ? allowed.join(', ') : '(none)'
        }`,
      );
    }
  }
  assertPositiveInteger('tokensPerMinute', input.tokensPerMinute);
  assertPositiveInteger('requestsPerMinute', input.requestsPerMinute);
  assertPositive('monthlyBudgetUsd', input.monthlyBudgetUsd);

  return {
    name,
    owner: ownerRef,
    entityRef: `component:default/${name}`,
    secretName: `${name}-llm-credentials`,
    models,
    tokensPerMinute: input.tokensPerMinute,
    requestsPerMinute: input.requestsPerMinute,
    monthlyBudgetUsd: input.monthlyBudgetUsd,
    selfHosted,
  };
}
