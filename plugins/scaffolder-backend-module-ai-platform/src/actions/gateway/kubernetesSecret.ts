import { KubernetesSettings } from './gatewaySettings';
import { assertOk, JsonRequest, sendJson } from './http';
import { GatewayRoute } from './routeInput';

/** The Secret that holds the service's gateway key as `OPENAI_API_KEY`. */
function keySecret(route: GatewayRoute, namespace: string, key: string) {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: route.secretName,
      namespace,
      labels: {
        'app.kubernetes.io/part-of': 'ai-platform',
        'app.kubernetes.io/managed-by': 'backstage',
      },
      annotations: {
        'backstage.io/owner': route.owner,
        'ai-platform.io/entity-ref': route.entityRef,
      },
    },
    type: 'Opaque',
    stringData: { OPENAI_API_KEY: key },
  };
}

/** Creates the key Secret, or replaces it when it exists (409 Conflict). */
export async function storeKeySecret(
  kubernetes: KubernetesSettings,
  route: GatewayRoute,
  key: string,
): Promise<void> {
  const secretsPath = `/api/v1/namespaces/${encodeURIComponent(
    kubernetes.namespace,
  )}/secrets`;
  const create: JsonRequest = {
    label: `Kubernetes POST ${secretsPath}`,
    method: 'POST',
    url: `${kubernetes.apiUrl}${secretsPath}`,
    token: kubernetes.token,
    body: keySecret(route, kubernetes.namespace, key),
    secrets: [key],
  };
  const created = await sendJson(create);
  if (created.status !== 409) {
    assertOk(create, created);
    return;
  }
  const secretPath = `${secretsPath}/${encodeURIComponent(route.secretName)}`;
  const replace: JsonRequest = {
    ...create,
    label: `Kubernetes PUT ${secretPath}`,
    method: 'PUT',
    url: `${kubernetes.apiUrl}${secretPath}`,
  };
  assertOk(replace, await sendJson(replace));
}
