import { Entity } from '@backstage/catalog-model';
import { SECRET_PATTERNS } from '../../__testUtils__/workspace';
import { validateCatalogEntity } from './entities';
import {
  ManifestDocument,
  ManifestReport,
  parseYamlDocuments,
  validateManifests,
} from './manifests';

/** Catalog entity files; everything else ending in .yaml is a manifest. */
export const CATALOG_FILES = ['catalog-info.yaml', 'ai-pipeline.yaml'];

/**
 * YAML files that are neither catalog entities nor Kubernetes manifests:
 * the LiteLLM team/key settings the gateway action writes for a LiteLLM
 * gateway (applied through LiteLLM's admin API, not kubectl).
 */
export const NON_MANIFEST_FILES = ['k8s/litellm-team.yaml'];

export type Inspection = {
  files: Map<string, string>;
  manifests: ManifestDocument[];
  manifestReport: ManifestReport;
  entities: Entity[];
  entityFailures: string[];
  secretFindings: string[];
};

/** Lines of any file that match a credential pattern. */
export function findSecrets(files: Map<string, string>): string[] {
  const findings: string[] = [];
  for (const [file, content] of files) {
    content.split('\n').forEach((line, i) => {
      for (const pattern of SECRET_PATTERNS) {
        if (pattern.test(line)) {
          findings.push(`${file}:${i + 1} matches ${pattern}: ${line.trim()}`);
        }
      }
    });
  }
  return findings;
}

/**
 * Checks a template's output: every manifest against its Kubernetes schema,
 * every catalog file through the catalog's validation, every file for
 * credentials.
 */
export async function inspectOutput(
  files: Map<string, string>,
): Promise<Inspection> {
  const manifests: ManifestDocument[] = [];
  const entityDocs: ManifestDocument[] = [];
  for (const [file, content] of files) {
    if (!/\.ya?ml$/.test(file) || NON_MANIFEST_FILES.includes(file)) {
      continue;
    }
    const docs = parseYamlDocuments(file, content);
    if (CATALOG_FILES.includes(file)) {
      entityDocs.push(...docs);
    } else {
      manifests.push(...docs);
    }
  }

  const entities: Entity[] = [];
  const entityFailures: string[] = [];
  for (const doc of entityDocs) {
    try {
      entities.push(await validateCatalogEntity(doc));
    } catch (error) {
      entityFailures.push(String((error as Error).message));
    }
  }

  return {
    files,
    manifests,
    manifestReport: await validateManifests(manifests),
    entities,
    entityFailures,
    secretFindings: findSecrets(files),
  };
}

/** The single document of `kind` named `name` among the manifests. */
export function manifest(
  inspection: Inspection,
  kind: string,
  name: string,
): Record<string, any> {
  const found = inspection.manifests.filter(
    m => m.doc.kind === kind && m.doc.metadata?.name === name,
  );
  if (found.length !== 1) {
    throw new Error(
      `Expected one ${kind} ${name}, found ${
        found.length
      } among ${inspection.manifests
        .map(m => `${m.doc.kind} ${m.doc.metadata?.name}`)
        .join(', ')}`,
    );
  }
  return found[0].doc;
}

/** The entity of `kind` named `name`. */
export function entity(
  inspection: Inspection,
  kind: string,
  name: string,
): Entity {
  const found = inspection.entities.find(
    e => e.kind === kind && e.metadata.name === name,
  );
  if (!found) {
    throw new Error(
      `No ${kind} ${name} among ${inspection.entities
        .map(e => `${e.kind} ${e.metadata.name}`)
        .join(', ')}`,
    );
  }
  return found;
}

/** Every container env var of a pod spec by name. */
export function containerEnv(podSpec: Record<string, any>, container = 0) {
  const env: Record<string, any> = {};
  for (const variable of podSpec.containers[container].env ?? []) {
    env[variable.name] = variable;
  }
  return env;
}
