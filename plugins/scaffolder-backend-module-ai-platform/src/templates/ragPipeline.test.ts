import {
  DryRunResponse,
  decodeFiles,
  startScaffolder,
} from './__testUtils__/dryRun';
import {
  Inspection,
  containerEnv,
  entity,
  inspectOutput,
  manifest,
} from './__testUtils__/inspect';
import { ragPipelineValues as values } from './__testUtils__/sampleValues';

jest.setTimeout(120_000);

const STAGES = [
  ['ingestion', 'data-ingestion', 'component', 'data-team'],
  ['embedding', 'embedding', 'component', 'ml-team'],
  ['vector-index', 'vector-index', 'resource', 'platform-team'],
  ['retrieval', 'retrieval', 'component', 'search-team'],
  ['generation', 'serving', 'component', 'ml-team'],
] as const;

describe('template rag-pipeline (dry run through the scaffolder)', () => {
  let scaffolder: Awaited<ReturnType<typeof startScaffolder>>;

  beforeAll(async () => {
    scaffolder = await startScaffolder({ gatewayKind: 'envoy' });
  });

  afterAll(async () => {
    await scaffolder?.stop();
  });

  describe('with sample values', () => {
    let res: DryRunResponse;
    let inspection: Inspection;

    beforeAll(async () => {
      res = await scaffolder.dryRun('rag-pipeline', values);
      inspection = await inspectOutput(decodeFiles(res.body));
    });

    it('runs every step', () => {
      expect(res.body.error).toBeUndefined();
      expect(res.status).toBe(200);
      const completed = (res.body.log ?? [])
        .filter(entry => entry.body.status === 'completed')
        .map(entry => entry.body.stepId);
      expect(completed).toEqual(
        expect.arrayContaining([
          'check',
          'gateway',
          'fetch',
          'pipeline',
          'publish',
          'register',
        ]),
      );
      expect(res.body.output?.entityRef).toBe('aipipeline:default/docs-qa');
    });

    it('generates the stage manifests, the catalog entities and the AIPipeline', () => {
      expect([...inspection.files.keys()].sort()).toEqual([
        'README.md',
        'ai-pipeline.yaml',
        'catalog-info.yaml',
        'k8s/ai-gateway.yaml',
        'k8s/embedding.yaml',
        'k8s/gateway.env',
        'k8s/generation.yaml',
        'k8s/ingestion.yaml',
        'k8s/retrieval.yaml',
        'k8s/vector-index.yaml',
      ]);
    });

    it('has Kubernetes manifests that validate against their schemas', () => {
      const report = inspection.manifestReport;
      expect(report.failures).toEqual([]);
      const kinds = report.validated.map(v => v.split(' ')[1]).sort();
      expect(kinds).toEqual(
        expect.arrayContaining([
          'batch/v1/CronJob',
          'apps/v1/StatefulSet',
          'apps/v1/Deployment',
          'v1/Service',
          'v1/PersistentVolumeClaim',
          'gateway.envoyproxy.io/v1alpha1/BackendTrafficPolicy',
        ]),
      );
      expect(
        manifest(inspection, 'CronJob', 'docs-qa-ingestion'),
      ).toBeDefined();
      expect(
        manifest(inspection, 'CronJob', 'docs-qa-embedding'),
      ).toBeDefined();
      expect(
        manifest(inspection, 'StatefulSet', 'docs-qa-vector-index'),
      ).toBeDefined();
      expect(
        manifest(inspection, 'Deployment', 'docs-qa-retrieval'),
      ).toBeDefined();
      expect(
        manifest(inspection, 'Service', 'docs-qa-retrieval'),
      ).toBeDefined();
      expect(
        manifest(inspection, 'Deployment', 'docs-qa-generation'),
      ).toBeDefined();
      expect(
        manifest(inspection, 'Service', 'docs-qa-generation'),
      ).toBeDefined();
    });

    it('has catalog entities the catalog accepts, one per stage, owned by the chosen teams', () => {
      expect(inspection.entityFailures).toEqual([]);
      for (const [stage, , kind, owner] of STAGES) {
        const e = entity(
          inspection,
          kind === 'resource' ? 'Resource' : 'Component',
          `docs-qa-${stage}`,
        );
        expect(e.spec?.owner).toBe(`group:default/${owner}`);
        expect(e.spec?.system).toBe('system:default/customer-support');
        expect(e.metadata.annotations?.['backstage.io/kubernetes-id']).toBe(
          `docs-qa-${stage}`,
        );
      }
      expect(
        entity(inspection, 'Resource', 'docs-qa-vector-index').spec?.type,
      ).toBe('vector-database');
      expect(
        entity(inspection, 'Component', 'docs-qa-generation').metadata
          .annotations,
      ).toMatchObject({
        'ai-platform.io/gateway-key-alias':
          'component:default/docs-qa-generation',
        'ai-platform.io/gateway-secret': 'docs-qa-generation-llm-credentials',
        'ai-platform.io/gateway-models': expect.stringContaining(
          'text-embedding-3-small',
        ),
      });
      // No Location: the template registers both catalog files itself.
      expect(inspection.entities.map(e => e.kind)).not.toContain('Location');
    });

    it('writes an AIPipeline the AIPipeline processor accepts, with stage owners and end-to-end SLOs', () => {
      const pipeline = entity(inspection, 'AIPipeline', 'docs-qa');
      const spec = pipeline.spec as any;
      expect(spec).toMatchObject({
        type: 'rag',
        owner: 'group:default/ml-platform',
        system: 'system:default/customer-support',
      });
      expect(pipeline.metadata.description).toBe(
        'Answers employee questions from the handbook',
      );
      expect(
        spec.stages.map((s: any) => [
          s.name,
          s.type,
          s.owner,
          s.entityRef,
          s.dependsOn,
        ]),
      ).toEqual(
        STAGES.map(([stage, type, kind, owner], i) => [
          stage,
          type,
          `group:default/${owner}`,
          `${kind}:default/docs-qa-${stage}`,
          i === 0 ? undefined : [STAGES[i - 1][0]],
        ]),
      );
      // Every stage entity is in catalog-info.yaml with the same owner.
      for (const stage of spec.stages) {
        const [kind, name] = stage.entityRef.split(':default/');
        const stageEntity = entity(
          inspection,
          kind === 'resource' ? 'Resource' : 'Component',
          name,
        );
        expect(stageEntity.spec?.owner).toBe(stage.owner);
      }
      const slos = Object.fromEntries(spec.slos.map((s: any) => [s.signal, s]));
      expect(slos.freshness).toMatchObject({
        objective: { op: '<=', threshold: 6 * 3600 },
        target: 0.99,
      });
      expect(slos.accuracy).toMatchObject({
        objective: { op: '>=', threshold: 0.9 },
        target: 0.95,
      });
      expect(slos.latency).toMatchObject({
        objective: { op: '<=', threshold: 2.5 },
      });
      // End to end: no SLO is tied to a single stage.
      expect(spec.slos.every((s: any) => !s.stage)).toBe(true);
    });

    it('reaches models only through the gateway, with the key from a secretKeyRef', () => {
      for (const [kind, name] of [
        ['Deployment', 'docs-qa-generation'],
        ['CronJob', 'docs-qa-embedding'],
      ] as const) {
        const doc = manifest(inspection, kind, name);
        const pod =
          kind === 'CronJob'
            ? doc.spec.jobTemplate.spec.template.spec
            : doc.spec.template.spec;
        const env = containerEnv(pod);
        expect(env.OPENAI_BASE_URL.value).toBe(
          'http://ai-gateway.ai-gateway.svc.cluster.local/v1',
        );
        expect(env.OPENAI_API_KEY).toEqual({
          name: 'OPENAI_API_KEY',
          valueFrom: {
            secretKeyRef: {
              name: 'docs-qa-generation-llm-credentials',
              key: 'OPENAI_API_KEY',
            },
          },
        });
      }
      expect(inspection.secretFindings).toEqual([]);
    });
  });

  it('refuses a model the generation owner may not use, naming the model', async () => {
    const res = await scaffolder.dryRun('rag-pipeline', {
      ...values,
      generationOwner: 'group:default/data-team',
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.body.error?.message).toMatch(/'gpt-4o'/);
    expect(res.body.directoryContents).toBeUndefined();
  });
});
