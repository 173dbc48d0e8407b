import {
  GATEWAY_KEY_ALIAS_ANNOTATION,
  GATEWAY_MODELS_ANNOTATION,
  GATEWAY_ROUTE_ANNOTATION,
  GATEWAY_SECRET_ANNOTATION,
  OwnerAccessChecker,
  readAllowedModelSettings,
} from '@aiplatform/plugin-ai-platform-node';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';
import { envoyHaltAnnotations, envoyManifests } from './gateway/envoyManifests';
import { readGatewaySettings } from './gateway/gatewaySettings';
import { storeKeySecret } from './gateway/kubernetesSecret';
import { createLitellmTeamKey } from './gateway/litellmAdmin';
import { litellmSettingsFile } from './gateway/litellmSettings';
import { checkRouteInput, GatewayRoute } from './gateway/routeInput';
import { writeWorkspaceFiles } from './util';

/** @public */
export const GATEWAY_ROUTE_ACTION_ID = 'ai-platform:gateway:route';

function example(description: string, input: Record<string, unknown>) {
  return {
    description,
    example: yaml.stringify({
      steps: [
        {
          id: 'gateway',
          action: GATEWAY_ROUTE_ACTION_ID,
          name: 'Gateway route',
          input,
        },
      ],
    }),
  };
}

/**
 * What a template puts on the catalog entity to attribute gateway usage;
 * for Envoy, also the AIGatewayRoute that a halt denies.
 */
function entityAnnotations(
  route: GatewayRoute,
  kind: 'envoy' | 'litellm',
): Record<string, string> {
  return {
    [GATEWAY_ROUTE_ANNOTATION]: route.name,
    [GATEWAY_MODELS_ANNOTATION]: route.models.join(','),
    [GATEWAY_KEY_ALIAS_ANNOTATION]: route.entityRef,
    [GATEWAY_SECRET_ANNOTATION]: route.secretName,
    ...(kind === 'envoy' ? envoyHaltAnnotations(route) : {}),
  };
}

/**
 * Creates the `ai-platform:gateway:route` action: an LLM gateway route and
 * credentials for a service, for Envoy AI Gateway or LiteLLM.
 *
 * @public
 */
export function createGatewayRouteAction(options: {
  config: Config;
  access: OwnerAccessChecker;
}) {
  const { config, access } = options;

  return createTemplateAction({
    id: GATEWAY_ROUTE_ACTION_ID,
    description:
      'Routes a service through the LLM gateway for an owner the user may act for (a member of it or of a group above it, or an admin), only to models the owning team may use or to its own self-hosted model server. Writes Envoy AI Gateway manifests (route, backend, security and rate limit policies) or LiteLLM team/key settings, plus a gateway.env with the gateway URL and a Secret reference. With the LiteLLM admin API configured it creates the team and key and stores the key only in a Kubernetes Secret. A dry run writes the files but calls nothing.',
    supportsDryRun: true,
    examples: [
      example('Route a service to two models with a token rate limit', {
        name: 'support-bot',
        owner: 'group:default/ml-team',
        models: ['gpt-4o-mini', 'llama-3-8b'],
        tokensPerMinute: 100000,
        requestsPerMinute: 600,
        monthlyBudgetUsd: 500,
      }),
      example(
        'LiteLLM gateway: create a team and a key with a monthly budget (the key goes to the Secret named by the secretName output)',
        {
          name: 'search-assistant',
          owner: 'group:default/search-team',
          models: ['gpt-4o-mini'],
          monthlyBudgetUsd: 200,
          requestsPerMinute: 120,
        },
      ),
      example('Self-hosted: route a service to the team vLLM server', {
        name: 'llama-chat',
        owner: 'group:default/ml-team',
        selfHosted: {
          model: 'meta-llama/Llama-3.1-8B-Instruct',
          host: 'llama-server.ml-team.svc.cluster.local',
          port: 8000,
        },
        tokensPerMinute: 50000,
      }),
    ],
    schema: {
      input: {
        name: z =>
          z.string().describe('Service name (a Kubernetes DNS-1123 label)'),
        owner: z =>
          z.string().describe('Owning group ref, e.g. group:default/ml-team'),
        models: z =>
          z
            .array(z.string())
            .min(1)
            .optional()
            .describe(
              'Models the service may call; optional with selfHosted, where it defaults to the self-hosted model',
            ),
        selfHosted: z =>
          z
            .object({
              model: z.string().min(1).describe('Model name the server serves'),
              host: z
                .string()
                .describe(
                  'DNS name of the server, e.g. llama-server.default.svc.cluster.local',
                ),
              port: z.number().int().min(1).max(65535).describe('Server port'),
            })
            .optional()
            .describe(
              'A model server the team runs itself (vLLM, KServe); its model needs no allowance',
            ),
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
        annotations: z =>
          z
            .record(z.string())
            .describe(
              'Annotations for the catalog entity that attribute gateway usage to it',
            ),
        litellmTeamId: z =>
          z
            .string()
            .optional()
            .describe('ID of the LiteLLM team, when one was created'),
      },
    },
    async handler(ctx) {
      // Everything is checked before any call or write: first that the user
      // may act for the owner, whose models and budget the route spends.
      const settings = readGatewaySettings(config);
      const owner = await access.assertMayActFor(
        ctx.input.owner,
        await ctx.getInitiatorCredentials(),
      );
      const route = checkRouteInput(
        { ...ctx.input, owner },
        readAllowedModelSettings(config),
      );
      const targetPath = ctx.input.targetPath ?? 'k8s';
      resolveSafeChildPath(ctx.workspacePath, targetPath);

      const files: Record<string, string> = {
        'gateway.env': `OPENAI_BASE_URL=${settings.gatewayUrl}\nOPENAI_API_KEY_SECRET_REF=${route.secretName}\n`,
      };
      if (settings.kind === 'envoy') {
        files['ai-gateway.yaml'] = envoyManifests(route, settings.envoy);
      } else {
        files['litellm-team.yaml'] = litellmSettingsFile(route);
      }

      let litellmTeamId: string | undefined;
      const { litellmAdmin, kubernetes } = settings;
      if (litellmAdmin && kubernetes) {
        if (ctx.isDryRun) {
          ctx.logger.info(
            'Dry run: not calling the LiteLLM admin API or the Kubernetes API',
          );
        } else {
          // The checkpoint keeps only the team ID, never the key.
          litellmTeamId = await ctx.checkpoint({
            key: `ai-platform-gateway-litellm-${route.name}`,
            fn: async () => {
              const { teamId, key } = await createLitellmTeamKey(
                litellmAdmin,
                route,
              );
              await storeKeySecret(kubernetes, route, key);
              return teamId;
            },
          });
          ctx.logger.info(
            `Created LiteLLM team ${litellmTeamId} and key alias ${route.entityRef}; the key is in Secret ${kubernetes.namespace}/${route.secretName}`,
          );
        }
      }

      await writeWorkspaceFiles(ctx.workspacePath, targetPath, files);
      ctx.logger.info(
        `Wrote ${settings.kind} gateway files to ${targetPath}: ${Object.keys(
          files,
        ).join(', ')}`,
      );

      ctx.output('gatewayUrl', settings.gatewayUrl);
      ctx.output('secretName', route.secretName);
      ctx.output('annotations', entityAnnotations(route, settings.kind));
      if (litellmTeamId !== undefined) {
        ctx.output('litellmTeamId', litellmTeamId);
      }
    },
  });
}
