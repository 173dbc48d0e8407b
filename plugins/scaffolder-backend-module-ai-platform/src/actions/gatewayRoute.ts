import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';
import {
  assertDnsLabel,
  lookupByGroupRef,
  normalizeGroupRef,
  writeWorkspaceFiles,
} from './util';

/** @public */
export const GATEWAY_ROUTE_ACTION_ID = 'ai-platform:gateway:route';

type GatewayKind = 'envoy' | 'litellm';

type RouteInput = {
  name: string;
  owner: string;
  models: string[];
  tokensPerMinute?: number;
  requestsPerMinute?: number;
  monthlyBudgetUsd?: number;
};

function allowedModelsFor(config: Config, owner: string): string[] {
  const defaults =
    config.getOptionalStringArray('aiPlatform.gateway.allowedModels.default') ??
    [];
  const groups = config.getOptional<Record<string, string[]>>(
    'aiPlatform.gateway.allowedModels.groups',
  );
  const extra = lookupByGroupRef(groups, owner) ?? [];
  return [...new Set([...defaults, ...extra])];
}

function assertPositive(field: string, value: number | undefined) {
  if (value !== undefined && (!Number.isFinite(value) || value <= 0)) {
    throw new InputError(`Invalid ${field} '${value}': must be positive`);
  }
}

function envoyManifests(
  input: RouteInput,
  secretName: string,
  gatewayName: string,
  upstreamBackend: string,
): string {
  const { name, owner, models } = input;
  const backendName = `${name}-backend`;
  const entityRef = `component:default/${name}`;
  const labels = { 'app.kubernetes.io/part-of': 'ai-platform' };
  const annotations: Record<string, string> = {
    'backstage.io/owner': normalizeGroupRef(owner),
    'ai-platform.io/entity-ref': entityRef,
  };
  if (input.monthlyBudgetUsd !== undefined) {
    annotations['ai-platform.io/monthly-budget-usd'] = String(
      input.monthlyBudgetUsd,
    );
  }

  const docs: object[] = [
    {
      apiVersion: 'aigateway.envoyproxy.io/v1beta1',
      kind: 'AIGatewayRoute',
      metadata: { name, labels, annotations },
      spec: {
        parentRefs: [
          {
            group: 'gateway.networking.k8s.io',
            kind: 'Gateway',
            name: gatewayName,
          },
        ],
        rules: models.map(model => ({
          matches: [
            {
              headers: [
                { type: 'Exact', name: 'x-ai-eg-model', value: model },
                { type: 'Exact', name: 'x-backstage-entity', value: entityRef },
              ],
            },
          ],
          backendRefs: [{ name: backendName }],
        })),
        llmRequestCosts: [
          { metadataKey: 'llm_input_token', type: 'InputToken' },
          { metadataKey: 'llm_output_token', type: 'OutputToken' },
          { metadataKey: 'llm_total_token', type: 'TotalToken' },
        ],
      },
    },
    {
      apiVersion: 'aigateway.envoyproxy.io/v1beta1',
      kind: 'AIServiceBackend',
      metadata: { name: backendName, labels },
      spec: {
        schema: { name: 'OpenAI' },
        backendRef: {
          group: 'gateway.envoyproxy.io',
          kind: 'Backend',
          name: upstreamBackend,
        },
      },
    },
    {
      apiVersion: 'aigateway.envoyproxy.io/v1beta1',
      kind: 'BackendSecurityPolicy',
      metadata: { name: `${name}-api-key`, labels },
      spec: {
        targetRefs: [
          {
            group: 'aigateway.envoyproxy.io',
            kind: 'AIServiceBackend',
            name: backendName,
          },
        ],
        type: 'APIKey',
        // A reference to a Secret by name; the key value never appears here.
        apiKey: { secretRef: { name: secretName } },
      },
    },
  ];

  const rules: object[] = [];
  const clientSelectors = [
    {
      headers: [
        { type: 'Exact', name: 'x-backstage-entity', value: entityRef },
      ],
    },
  ];
  if (input.tokensPerMinute !== undefined) {
    rules.push({
      clientSelectors,
      limit: { requests: input.tokensPerMinute, unit: 'Minute' },
      cost: {
        request: { from: 'Number', number: 0 },
        response: {
          from: 'Metadata',
          metadata: {
            namespace: 'io.envoy.ai_gateway',
            key: 'llm_total_token',
          },
        },
      },
    });
  }
  if (input.requestsPerMinute !== undefined) {
    rules.push({
      clientSelectors,
      limit: { requests: input.requestsPerMinute, unit: 'Minute' },
    });
  }
  if (rules.length > 0) {
    docs.push({
      apiVersion: 'gateway.envoyproxy.io/v1alpha1',
      kind: 'BackendTrafficPolicy',
      metadata: { name: `${name}-rate-limit`, labels },
      spec: {
        targetRefs: [
          {
            group: 'gateway.networking.k8s.io',
            kind: 'Gateway',
            name: gatewayName,
          },
        ],
        rateLimit: { type: 'Global', global: { rules } },
      },
    });
  }
  return docs.map(doc => yaml.stringify(doc)).join('---\n');
}

function litellmTeam(input: RouteInput, secretName: string): string {
  const { name, owner, models } = input;
  const entityRef = `component:default/${name}`;
  const limits = {
    models,
    max_budget: input.monthlyBudgetUsd,
    budget_duration: input.monthlyBudgetUsd !== undefined ? '30d' : undefined,
    tpm_limit: input.tokensPerMinute,
    rpm_limit: input.requestsPerMinute,
  };
  const doc = {
    // Settings for POST /team/new and POST /key/generate on the LiteLLM proxy.
    team: {
      team_alias: name,
      metadata: { backstage_owner: normalizeGroupRef(owner) },
      ...limits,
      budget_duration: '30d',
    },
    key: {
      key_alias: entityRef,
      metadata: { tags: [`backstage:${entityRef}`] },
      ...limits,
      // The generated key is stored in this Secret; only its name is recorded.
      secretRef: { name: secretName },
    },
  };
  return yaml.stringify(doc);
}

/**
 * Creates the `ai-platform:gateway:route` action: an LLM gateway route and
 * credentials reference for a service, for Envoy AI Gateway or LiteLLM.
 *
 * @public
 */
export function createGatewayRouteAction(options: { config: Config }) {
  const { config } = options;

  return createTemplateAction({
    id: GATEWAY_ROUTE_ACTION_ID,
    description:
      'Writes LLM gateway manifests for a service (Envoy AI Gateway route, backend, security and token rate limit policies, or LiteLLM team/key settings), only for models the owning team may use, plus a gateway.env with the gateway URL and a secret reference.',
    supportsDryRun: true,
    examples: [
      {
        description: 'Route a service to two models with a token rate limit',
        example: yaml.stringify({
          steps: [
            {
              id: 'gateway',
              action: GATEWAY_ROUTE_ACTION_ID,
              name: 'Gateway route',
              input: {
                name: 'support-bot',
                owner: 'group:default/ml-team',
                models: ['gpt-4o-mini', 'llama-3-8b'],
                tokensPerMinute: 100000,
                requestsPerMinute: 600,
                monthlyBudgetUsd: 500,
              },
            },
          ],
        }),
      },
    ],
    schema: {
      input: {
        name: z =>
          z.string().describe('Service name (a Kubernetes DNS-1123 label)'),
        owner: z =>
          z.string().describe('Owning group ref, e.g. group:default/ml-team'),
        models: z =>
          z.array(z.string()).min(1).describe('Models the service may call'),
        tokensPerMinute: z =>
          z.number().int().positive().optional().describe('Token rate limit'),
        requestsPerMinute: z =>
          z.number().int().positive().optional().describe('Request rate limit'),
        monthlyBudgetUsd: z =>
          z.number().positive().optional().describe('Monthly budget in USD'),
        targetPath: z =>
          z
            .string()
            .optional()
            .describe('Workspace directory for the files (default: k8s)'),
      },
      output: {
        gatewayUrl: z =>
          z.string().describe('OpenAI-compatible base URL of the gateway'),
        secretName: z =>
          z
            .string()
            .describe('Name of the Secret that holds the service credentials'),
      },
    },
    async handler(ctx) {
      const { name, owner, models } = ctx.input;
      const targetPath = ctx.input.targetPath ?? 'k8s';

      // All checks happen before anything is written.
      assertDnsLabel(name);
      const kind = config.getOptionalString('aiPlatform.gateway.kind') as
        | GatewayKind
        | undefined;
      if (kind !== 'envoy' && kind !== 'litellm') {
        throw new InputError(
          `aiPlatform.gateway.kind must be 'envoy' or 'litellm', got '${kind}'`,
        );
      }
      const baseUrl = config.getString('aiPlatform.gateway.baseUrl');
      if (!Array.isArray(models) || models.length === 0) {
        throw new InputError('models must list at least one model');
      }
      const allowed = allowedModelsFor(config, owner);
      for (const model of models) {
        if (!allowed.includes(model)) {
          throw new InputError(
            `Model '${model}' is not allowed for ${normalizeGroupRef(
              owner,
            )}; allowed models: ${
              allowed.length ? allowed.join(', ') : '(none)'
            }`,
          );
        }
      }
      assertPositive('tokensPerMinute', ctx.input.tokensPerMinute);
      assertPositive('requestsPerMinute', ctx.input.requestsPerMinute);
      assertPositive('monthlyBudgetUsd', ctx.input.monthlyBudgetUsd);
      // Fails on a path outside the workspace, even in a dry run.
      resolveSafeChildPath(ctx.workspacePath, targetPath);

      const gatewayUrl = baseUrl.replace(/\/+$/, '');
      const secretName = `${name}-llm-credentials`;
      const input: RouteInput = { ...ctx.input, models: [...new Set(models)] };

      const files: Record<string, string> = {
        'gateway.env': `OPENAI_BASE_URL=${gatewayUrl}\nOPENAI_API_KEY_SECRET_REF=${secretName}\n`,
      };
      if (kind === 'envoy') {
        files['ai-gateway.yaml'] = envoyManifests(
          input,
          secretName,
          config.getOptionalString('aiPlatform.gateway.envoy.gatewayName') ??
            'ai-gateway',
          config.getOptionalString(
            'aiPlatform.gateway.envoy.upstreamBackend',
          ) ?? 'llm-provider',
        );
      } else {
        files['litellm-team.yaml'] = litellmTeam(input, secretName);
      }

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would write ${Object.keys(files)
            .map(f => `${targetPath}/${f}`)
            .join(', ')}`,
        );
      } else {
        await writeWorkspaceFiles(ctx.workspacePath, targetPath, files);
        ctx.logger.info(
          `Wrote ${kind} gateway files to ${targetPath}: ${Object.keys(
            files,
          ).join(', ')}`,
        );
      }

      ctx.output('gatewayUrl', gatewayUrl);
      ctx.output('secretName', secretName);
    },
  });
}
