/*
 * A synthetic catalog for the ownership benchmarks: an organisation with a
 * group hierarchy and members, N AIPipelines of 6 stages each, the stage
 * components with owners, some inline owners, some missing entities, and some
 * consumers. Relations are stitched the way the catalog does it.
 *
 * Deterministic: the same options give the same entities.
 */
import { Entity } from '@backstage/catalog-model';
import {
  AIPipelineEntityV1alpha1,
  AIPipelineStage,
} from '@aiplatform/plugin-ai-platform-common';
import {
  component,
  group,
  pipeline,
  stitchRelations,
  user,
} from '../../plugins/ai-platform-backend/src/__testUtils__/catalogFixtures';

export interface SyntheticCatalogOptions {
  pipelines: number;
  departments?: number;
  teamsPerDepartment?: number;
  membersPerTeam?: number;
}

export interface SyntheticCatalog {
  entities: Entity[];
  pipelines: AIPipelineEntityV1alpha1[];
  /** Every entity that is not an AIPipeline. */
  others: Entity[];
  counts: Record<string, number>;
}

const pad = (n: number, width = 5) => String(n).padStart(width, '0');

export function buildSyntheticCatalog(
  options: SyntheticCatalogOptions,
): SyntheticCatalog {
  const departments = options.departments ?? 10;
  const teamsPerDepartment = options.teamsPerDepartment ?? 20;
  const membersPerTeam = options.membersPerTeam ?? 5;
  const raw: Entity[] = [];

  // Organisation: org → departments → teams; 1 team in 20 has no members.
  const teams: string[] = [];
  raw.push(
    group('org', {
      children: Array.from(
        { length: departments },
        (_, d) => `group:default/dept-${d}`,
      ),
    }),
  );
  for (let d = 0; d < departments; d++) {
    raw.push(group(`dept-${d}`, { parent: 'group:default/org' }));
    raw.push(user(`head-${d}`, [`group:default/dept-${d}`]));
    for (let t = 0; t < teamsPerDepartment; t++) {
      const name = `team-${d}-${t}`;
      teams.push(`group:default/${name}`);
      raw.push(group(name, { parent: `group:default/dept-${d}` }));
      if ((d * teamsPerDepartment + t) % 20 === 19) continue; // ownerless team
      for (let m = 0; m < membersPerTeam; m++) {
        raw.push(user(`u-${d}-${t}-${m}`, [`group:default/${name}`]));
      }
    }
  }
  const teamOf = (i: number) => teams[i % teams.length];

  const pipelines: AIPipelineEntityV1alpha1[] = [];
  for (let i = 0; i < options.pipelines; i++) {
    const id = `p-${pad(i)}`;
    const owner = teamOf(i);
    // A data team in another department feeds the pipeline: handoffs.
    const dataTeam = teamOf(i + teamsPerDepartment);
    const comp = (stage: string) => `component:default/${id}-${stage}`;

    const missingFeatures = i % 50 === 7; // entityRef to a missing component
    const inlineIndex = i % 3 === 1; // no entityRef, inline owner
    const unownedModel = i % 10 === 3; // model component without owner...
    const inlineModelOwner = i % 7 === 2; // ...or an inline owner (maybe mismatch)
    const formerOwner = i % 200 === 5; // inline owner not in the catalog

    const stages: AIPipelineStage[] = [
      { name: 'ingest', type: 'data-ingestion', entityRef: comp('ingest') },
      {
        name: 'features',
        type: 'feature-pipeline',
        entityRef: missingFeatures
          ? `component:default/${id}-gone`
          : comp('features'),
        dependsOn: ['ingest'],
      },
      {
        name: 'embed',
        type: 'embedding',
        entityRef: comp('embed'),
        dependsOn: ['features'],
      },
      inlineIndex
        ? {
            name: 'index',
            type: 'vector-index',
            owner: formerOwner ? `group:default/former-team-${i}` : owner,
            dependsOn: ['embed'],
          }
        : {
            name: 'index',
            type: 'vector-index',
            entityRef: comp('index'),
            dependsOn: ['embed'],
          },
      {
        name: 'model',
        type: 'model',
        entityRef: comp('model'),
        ...(inlineModelOwner ? { owner: teamOf(i + 1) } : {}),
        dependsOn: ['features'],
      },
      {
        name: 'serve',
        type: 'serving',
        entityRef: comp('serve'),
        dependsOn: ['index', 'model'],
      },
    ];

    pipelines.push(
      pipeline(
        id,
        {
          type: 'rag',
          owner,
          system: `system:default/sys-${i % 100}`,
          stages,
          slos:
            i % 3 === 0
              ? []
              : [
                  {
                    name: 'answer-quality',
                    signal: 'quality',
                    objective: { op: '>=', threshold: 0.8 },
                    target: 0.99,
                    window: '28d',
                  },
                  {
                    name: 'index-freshness',
                    signal: 'freshness',
                    stage: 'index',
                    objective: { op: '<=', threshold: 3600 },
                    target: 0.99,
                    window: '28d',
                  },
                ],
        },
        `Pipeline ${i}`,
      ),
    );

    raw.push(
      component(`${id}-ingest`, { owner: dataTeam, type: 'data-pipeline' }),
    );
    if (!missingFeatures) {
      raw.push(
        component(`${id}-features`, { owner: dataTeam, type: 'data-pipeline' }),
      );
    }
    raw.push(component(`${id}-embed`, { owner }));
    if (!inlineIndex)
      raw.push(component(`${id}-index`, { owner, type: 'database' }));
    raw.push(
      component(
        `${id}-model`,
        unownedModel ? { type: 'model' } : { owner, type: 'model' },
      ),
    );
    raw.push(
      component(`${id}-serve`, {
        owner,
        dependsOn: [comp('model'), ...(inlineIndex ? [] : [comp('index')])],
      }),
    );
    // 1 in 5 pipelines has an app that consumes it.
    if (i % 5 === 0) {
      raw.push(
        component(`${id}-app`, {
          owner: teamOf(i + 7),
          type: 'website',
          dependsOn: [`aipipeline:default/${id}`],
        }),
      );
    }
  }

  const entities = stitchRelations<Entity>([...raw, ...pipelines]);
  const stitchedPipelines = entities.filter(
    (e): e is AIPipelineEntityV1alpha1 => e.kind === 'AIPipeline',
  );
  const others = entities.filter(e => e.kind !== 'AIPipeline');
  const counts: Record<string, number> = { total: entities.length };
  for (const e of entities) counts[e.kind] = (counts[e.kind] ?? 0) + 1;
  return { entities, pipelines: stitchedPipelines, others, counts };
}

/**
 * One pipeline of `stages` stages with a layered DAG (about 8 stages per
 * layer, each depending on 1-3 stages of the previous layer), all stages
 * owned, owners alternating between a few teams, plus its catalog.
 */
export function buildLargePipeline(stages: number): {
  pipeline: AIPipelineEntityV1alpha1;
  entities: Entity[];
} {
  const width = 8;
  const teams = ['a', 'b', 'c', 'd'].map(t => `group:default/big-${t}`);
  const raw: Entity[] = [
    group('big-org', { children: teams }),
    ...teams.map(t =>
      group(t.split('/')[1], { parent: 'group:default/big-org' }),
    ),
    ...teams.map((t, i) => user(`big-user-${i}`, [t])),
  ];
  const list: AIPipelineStage[] = [];
  for (let s = 0; s < stages; s++) {
    const layer = Math.floor(s / width);
    const dependsOn: string[] = [];
    if (layer > 0) {
      const prevStart = (layer - 1) * width;
      const fanIn = 1 + (s % 3);
      for (let k = 0; k < fanIn; k++) {
        dependsOn.push(`s-${prevStart + ((s * 5 + k * 3) % width)}`);
      }
    }
    const withEntity = s % 4 !== 3;
    list.push({
      name: `s-${s}`,
      type: s % 5 === 0 ? 'embedding' : 'serving',
      ...(withEntity
        ? { entityRef: `component:default/big-${s}` }
        : { owner: teams[(s + 1) % teams.length] }),
      ...(dependsOn.length ? { dependsOn: [...new Set(dependsOn)] } : {}),
    });
    if (withEntity) {
      raw.push(component(`big-${s}`, { owner: teams[layer % teams.length] }));
    }
  }
  const p = pipeline('big-pipeline', {
    type: 'agent',
    owner: teams[0],
    stages: list,
  });
  const entities = stitchRelations<Entity>([...raw, p]);
  return {
    pipeline: entities.find(
      (e): e is AIPipelineEntityV1alpha1 => e.kind === 'AIPipeline',
    )!,
    entities,
  };
}
