import { spawn } from 'node:child_process';
import path from 'node:path';
import yaml from 'yaml';

/**
 * Kinds validated against a maintained schema package: apiVersion/kind →
 * the module and class of `kubernetes-models` (core, apps, batch) or
 * `@kubernetes-models/envoy-gateway` (Envoy Gateway CRDs).
 */
export const VALIDATED_KINDS: Record<
  string,
  { module: string; exportName: string }
> = {
  'v1/Service': { module: 'kubernetes-models/v1', exportName: 'Service' },
  'v1/ConfigMap': { module: 'kubernetes-models/v1', exportName: 'ConfigMap' },
  'v1/PersistentVolumeClaim': {
    module: 'kubernetes-models/v1',
    exportName: 'PersistentVolumeClaim',
  },
  'v1/ServiceAccount': {
    module: 'kubernetes-models/v1',
    exportName: 'ServiceAccount',
  },
  'apps/v1/Deployment': {
    module: 'kubernetes-models/apps/v1',
    exportName: 'Deployment',
  },
  'apps/v1/StatefulSet': {
    module: 'kubernetes-models/apps/v1',
    exportName: 'StatefulSet',
  },
  'batch/v1/Job': { module: 'kubernetes-models/batch/v1', exportName: 'Job' },
  'batch/v1/CronJob': {
    module: 'kubernetes-models/batch/v1',
    exportName: 'CronJob',
  },
  'gateway.envoyproxy.io/v1alpha1/Backend': {
    module: '@kubernetes-models/envoy-gateway/gateway.envoyproxy.io/v1alpha1',
    exportName: 'Backend',
  },
  'gateway.envoyproxy.io/v1alpha1/BackendTrafficPolicy': {
    module: '@kubernetes-models/envoy-gateway/gateway.envoyproxy.io/v1alpha1',
    exportName: 'BackendTrafficPolicy',
  },
  'gateway.envoyproxy.io/v1alpha1/SecurityPolicy': {
    module: '@kubernetes-models/envoy-gateway/gateway.envoyproxy.io/v1alpha1',
    exportName: 'SecurityPolicy',
  },
};

/**
 * Kinds NOT validated against a schema: no maintained npm package publishes
 * models for the Envoy AI Gateway CRDs (aigateway.envoyproxy.io) or for
 * KServe (serving.kserve.io), and hand-written schemas would only test
 * themselves. Documents of these kinds are checked for being parseable
 * objects with apiVersion, kind, metadata.name and spec, nothing more.
 * Any kind in neither list fails the test.
 */
export const UNVALIDATED_KINDS: ReadonlyArray<string> = [
  'aigateway.envoyproxy.io/v1beta1/AIGatewayRoute',
  'aigateway.envoyproxy.io/v1beta1/AIServiceBackend',
  'aigateway.envoyproxy.io/v1beta1/BackendSecurityPolicy',
  'serving.kserve.io/v1beta1/InferenceService',
];

export type ManifestDocument = {
  file: string;
  index: number;
  doc: Record<string, any>;
};

/** Parses every YAML document of a file; a parse error throws. */
export function parseYamlDocuments(
  file: string,
  content: string,
): ManifestDocument[] {
  const docs: ManifestDocument[] = [];
  yaml.parseAllDocuments(content).forEach((document, index) => {
    if (document.errors.length > 0) {
      throw new Error(
        `${file} document ${index} is not valid YAML: ${document.errors[0].message}`,
      );
    }
    const doc = document.toJS();
    if (doc !== null && doc !== undefined) {
      docs.push({ file, index, doc });
    }
  });
  return docs;
}

export type ManifestReport = {
  validated: string[];
  unvalidated: string[];
  failures: string[];
};

/**
 * Validates Kubernetes manifests: schema-validated kinds in a Node child
 * process (see validateManifests.mjs), unvalidated kinds for their shape,
 * anything else is a failure.
 */
export async function validateManifests(
  documents: ManifestDocument[],
): Promise<ManifestReport> {
  const report: ManifestReport = {
    validated: [],
    unvalidated: [],
    failures: [],
  };
  const toValidate: ManifestDocument[] = [];
  for (const document of documents) {
    const { file, index, doc } = document;
    const where = `${file}#${index}`;
    if (typeof doc !== 'object' || Array.isArray(doc)) {
      report.failures.push(`${where}: not an object`);
      continue;
    }
    const key = `${doc.apiVersion}/${doc.kind}`;
    if (VALIDATED_KINDS[key]) {
      toValidate.push(document);
    } else if (UNVALIDATED_KINDS.includes(key)) {
      const missing = [
        typeof doc.apiVersion === 'string' ? undefined : 'apiVersion',
        typeof doc.kind === 'string' ? undefined : 'kind',
        typeof doc.metadata?.name === 'string' && doc.metadata.name
          ? undefined
          : 'metadata.name',
        doc.spec && typeof doc.spec === 'object' ? undefined : 'spec',
      ].filter(Boolean);
      if (missing.length) {
        report.failures.push(`${where} ${key}: missing ${missing.join(', ')}`);
      } else {
        report.unvalidated.push(`${where} ${key}`);
      }
    } else {
      report.failures.push(
        `${where}: kind ${key} is neither schema-validated nor listed in UNVALIDATED_KINDS`,
      );
    }
  }

  if (toValidate.length > 0) {
    const results = await runValidator(toValidate);
    for (const result of results) {
      const where = `${result.file}#${result.index} ${result.key}`;
      if (result.valid) {
        report.validated.push(where);
      } else {
        report.failures.push(`${where}: ${result.error}`);
      }
    }
  }
  return report;
}

type ValidatorResult = {
  file: string;
  index: number;
  key: string;
  valid: boolean;
  error?: string;
};

function runValidator(documents: ManifestDocument[]) {
  return new Promise<ValidatorResult[]>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(__dirname, 'validateManifests.mjs')],
      { cwd: __dirname, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', chunk => {
      stdout += chunk;
    });
    child.stderr.on('data', chunk => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', code => {
      if (code !== 0) {
        reject(new Error(`validateManifests.mjs exited ${code}: ${stderr}`));
        return;
      }
      try {
        resolve(JSON.parse(stdout));
      } catch (error) {
        reject(new Error(`validateManifests.mjs printed no JSON: ${stdout}`));
      }
    });
    child.stdin.end(JSON.stringify({ models: VALIDATED_KINDS, documents }));
  });
}
