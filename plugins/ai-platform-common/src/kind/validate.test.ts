import fs from 'fs';
import path from 'path';
import { parseAllDocuments } from 'yaml';
import { aiPipelineJsonSchema } from './schema';
import {
  AIPipelineValidationIssue,
  formatValidationIssues,
  validateAIPipelineEntity,
} from './validate';

type AnyObject = Record<string, any>;

function validPipeline(): AnyObject {
  return {
    apiVersion: 'ai-platform.io/v1alpha1',
    kind: 'AIPipeline',
    metadata: { name: 'support-answers', namespace: 'default' },
    spec: {
      type: 'rag',
      lifecycle: 'production',
      owner: 'group:default/ml-team',
      system: 'system:default/customer-support',
      stages: [
        {
          name: 'ingest',
          type: 'data-ingestion',
          entityRef: 'component:default/ticket-ingest',
        },
        {
          name: 'embeddings',
          type: 'embedding',
          owner: 'user:default/alice',
          dependsOn: ['ingest'],
        },
        {
          name: 'serving',
          type: 'serving',
          owner: 'platform-team',
          dependsOn: ['embeddings', 'ingest'],
        },
      ],
      slos: [
        {
          name: 'answer-quality',
          signal: 'quality',
          objective: { op: '>=', threshold: 0.8 },
          target: 0.99,
          window: '28d',
        },
        {
          name: 'serving-latency',
          signal: 'latency',
          stage: 'serving',
          objective: { op: '<=', threshold: 0.5 },
          target: 0.95,
        },
      ],
      budget: { monthlyUsd: 1000 },
    },
  };
}

/** A valid pipeline, changed by `mutate`. */
function pipelineWith(mutate: (p: AnyObject) => void): AnyObject {
  const p = validPipeline();
  mutate(p);
  return p;
}

function issuesOf(input: unknown): AIPipelineValidationIssue[] {
  const result = validateAIPipelineEntity(input);
  if (result.valid) {
    throw new Error('expected the pipeline to be invalid, but it is valid');
  }
  return result.issues;
}

function fieldsOf(input: unknown): string[] {
  return issuesOf(input).map(i => i.field);
}

describe('validateAIPipelineEntity', () => {
  it('accepts a valid pipeline and returns it, with defaults applied', () => {
    const result = validateAIPipelineEntity(validPipeline());
    expect(result.valid).toBe(true);
    if (!result.valid) return;
    expect(result.entity.metadata.name).toBe('support-answers');
    expect(result.entity.spec.stages.map(s => s.name)).toEqual([
      'ingest',
      'embeddings',
      'serving',
    ]);
    // `window` defaults to 28d
    expect(result.entity.spec.slos?.[1].window).toBe('28d');
  });

  it('accepts a minimal pipeline with one stage and no SLOs', () => {
    const result = validateAIPipelineEntity(
      pipelineWith(p => {
        p.spec = {
          type: 'other',
          lifecycle: 'experimental',
          owner: 'ml-team',
          stages: [{ name: 'only', type: 'model' }],
        };
      }),
    );
    expect(result.valid).toBe(true);
  });

  it('rejects a missing spec.owner', () => {
    expect(
      fieldsOf(
        pipelineWith(p => {
          delete p.spec.owner;
        }),
      ),
    ).toEqual(['spec.owner']);
  });

  it('rejects a pipeline owner that is not a Group or a User', () => {
    const issues = issuesOf(
      pipelineWith(p => {
        p.spec.owner = 'component:default/x';
      }),
    );
    expect(issues).toEqual([
      {
        field: 'spec.owner',
        message: expect.stringContaining('must reference a Group or a User'),
      },
    ]);
  });

  it('rejects a stage owner that is not a Group or a User', () => {
    const issues = issuesOf(
      pipelineWith(p => {
        p.spec.stages[2].owner = 'component:default/x';
      }),
    );
    expect(issues).toEqual([
      {
        field: 'spec.stages[2].owner',
        message: expect.stringContaining('must reference a Group or a User'),
      },
    ]);
  });

  it.each(['group:default/', 'a:b:c', 'group:default/ml team', ''])(
    'rejects the malformed owner ref %j',
    ref => {
      expect(
        fieldsOf(
          pipelineWith(p => {
            p.spec.owner = ref;
          }),
        ),
      ).toContain('spec.owner');
    },
  );

  it('rejects a malformed stage entityRef and names the stage field', () => {
    const issues = issuesOf(
      pipelineWith(p => {
        p.spec.stages[0].entityRef = 'a:b:c';
      }),
    );
    expect(issues.map(i => i.field)).toEqual(['spec.stages[0].entityRef']);
    expect(issues[0].message).toMatch(/entity reference/);
  });

  it('rejects an unknown stage type', () => {
    const issues = issuesOf(
      pipelineWith(p => {
        p.spec.stages[1].type = 'teleportation';
      }),
    );
    expect(issues.map(i => i.field)).toEqual(['spec.stages[1].type']);
  });

  it('rejects duplicate stage names, naming the later stage', () => {
    const issues = issuesOf(
      pipelineWith(p => {
        p.spec.stages.push({ name: 'ingest', type: 'other', owner: 'ml-team' });
      }),
    );
    expect(issues).toEqual([
      {
        field: 'spec.stages[3].name',
        message: expect.stringContaining('duplicate stage name "ingest"'),
      },
    ]);
    expect(issues[0].message).toContain('spec.stages[0]');
  });

  it('rejects a dependsOn on an unknown stage, with its index', () => {
    const issues = issuesOf(
      pipelineWith(p => {
        p.spec.stages[2].dependsOn = ['embeddings', 'nope'];
      }),
    );
    expect(issues).toEqual([
      {
        field: 'spec.stages[2].dependsOn[1]',
        message: 'stage "serving" depends on unknown stage "nope"',
      },
    ]);
  });

  it('rejects a stage that depends on itself', () => {
    const issues = issuesOf(
      pipelineWith(p => {
        p.spec.stages[1].dependsOn = ['ingest', 'embeddings'];
      }),
    );
    expect(issues).toEqual([
      {
        field: 'spec.stages[1].dependsOn[1]',
        message: 'stage "embeddings" depends on itself',
      },
    ]);
  });

  it('rejects a dependsOn cycle a → b → c → a and lists the cycle', () => {
    const issues = issuesOf(
      pipelineWith(p => {
        p.spec.stages = [
          { name: 'a', type: 'model', owner: 'ml-team', dependsOn: ['c'] },
          { name: 'b', type: 'model', owner: 'ml-team', dependsOn: ['a'] },
          { name: 'c', type: 'model', owner: 'ml-team', dependsOn: ['b'] },
        ];
        delete p.spec.slos;
      }),
    );
    expect(issues).toHaveLength(1);
    expect(issues[0].field).toMatch(/^spec\.stages\[[0-2]\]\.dependsOn$/);
    expect(issues[0].message).toMatch(/cycle/);
    // The cycle is listed in order, closed on its first stage.
    const listed = issues[0].message.split(': ')[1].split(' → ');
    expect(listed).toHaveLength(4);
    expect(listed[0]).toBe(listed[3]);
    expect(new Set(listed)).toEqual(new Set(['a', 'b', 'c']));
    // Each listed stage depends on the next one listed.
    const dependsOn: Record<string, string> = { a: 'c', b: 'a', c: 'b' };
    for (let i = 0; i < 3; i++) {
      expect(dependsOn[listed[i]]).toBe(listed[i + 1]);
    }
    // The field is the dependsOn of the stage the listing starts with.
    const stageIndex: Record<string, number> = { a: 0, b: 1, c: 2 };
    expect(issues[0].field).toBe(
      `spec.stages[${stageIndex[listed[0]]}].dependsOn`,
    );
  });

  it('does not report a cycle for a diamond', () => {
    const result = validateAIPipelineEntity(
      pipelineWith(p => {
        p.spec.stages = [
          { name: 'a', type: 'model', owner: 'ml-team' },
          { name: 'b', type: 'model', owner: 'ml-team', dependsOn: ['a'] },
          { name: 'c', type: 'model', owner: 'ml-team', dependsOn: ['a'] },
          { name: 'd', type: 'model', owner: 'ml-team', dependsOn: ['b', 'c'] },
        ];
        delete p.spec.slos;
      }),
    );
    expect(result.valid).toBe(true);
  });

  it('rejects a pipeline with zero stages', () => {
    const issues = issuesOf(
      pipelineWith(p => {
        p.spec.stages = [];
        delete p.spec.slos;
      }),
    );
    expect(issues).toEqual([
      { field: 'spec.stages', message: 'must list at least one stage' },
    ]);
  });

  it('rejects duplicate SLO names', () => {
    const issues = issuesOf(
      pipelineWith(p => {
        p.spec.slos[1].name = 'answer-quality';
      }),
    );
    expect(issues).toEqual([
      {
        field: 'spec.slos[1].name',
        message: 'duplicate SLO name "answer-quality"',
      },
    ]);
  });

  it('rejects an SLO on an unknown stage', () => {
    const issues = issuesOf(
      pipelineWith(p => {
        p.spec.slos[1].stage = 'nowhere';
      }),
    );
    expect(issues).toEqual([
      {
        field: 'spec.slos[1].stage',
        message: 'SLO "serving-latency" is set on unknown stage "nowhere"',
      },
    ]);
  });

  it('accepts runbooks and a haltOn policy, defaulting its status to breached', () => {
    const result = validateAIPipelineEntity(
      pipelineWith(p => {
        p.spec.runbook = 'https://runbooks.example.com/support-answers';
        p.spec.stages[0].runbook = 'http://wiki.internal/ingest';
        p.spec.governance = {
          haltOn: [
            { slo: 'answer-quality' },
            { slo: 'serving-latency', status: 'at-risk' },
          ],
        };
      }),
    );
    if (!result.valid) throw new Error(JSON.stringify(result.issues));
    expect(result.entity.spec.governance?.haltOn).toEqual([
      { slo: 'answer-quality', status: 'breached' },
      { slo: 'serving-latency', status: 'at-risk' },
    ]);
    expect(result.entity.spec.stages[0].runbook).toBe(
      'http://wiki.internal/ingest',
    );
  });

  // eslint-disable-next-line no-script-url
  it.each(['runbooks/kb', 'javascript:alert(1)', 'ftp://x/y', ''])(
    'rejects the runbook %p, naming the field',
    runbook => {
      expect(
        fieldsOf(
          pipelineWith(p => {
            p.spec.stages[2].runbook = runbook;
          }),
        ),
      ).toEqual(['spec.stages[2].runbook']);
    },
  );

  it('rejects a haltOn rule on an unknown SLO and an unknown status', () => {
    const issues = issuesOf(
      pipelineWith(p => {
        p.spec.governance = {
          haltOn: [{ slo: 'nope' }, { slo: 'answer-quality', status: 'ok' }],
        };
      }),
    );
    expect(issues.map(i => i.field).sort()).toEqual([
      'spec.governance.haltOn[0].slo',
      'spec.governance.haltOn[1].status',
    ]);
    expect(issues.find(i => i.field.endsWith('[0].slo'))?.message).toBe(
      'halts on unknown SLO "nope" (not in spec.slos)',
    );
  });

  it.each([0, 1, -0.5, 1.5, 99])(
    'rejects the SLO target %p, outside (0, 1)',
    target => {
      expect(
        fieldsOf(
          pipelineWith(p => {
            p.spec.slos[0].target = target;
          }),
        ),
      ).toEqual(['spec.slos[0].target']);
    },
  );

  it.each([0.001, 0.5, 0.999])('accepts the SLO target %p', target => {
    expect(
      validateAIPipelineEntity(
        pipelineWith(p => {
          p.spec.slos[0].target = target;
        }),
      ).valid,
    ).toBe(true);
  });

  it('rejects a wrong apiVersion', () => {
    expect(
      fieldsOf(
        pipelineWith(p => {
          p.apiVersion = 'backstage.io/v1alpha1';
        }),
      ),
    ).toEqual(['apiVersion']);
  });

  it('rejects a wrong kind', () => {
    expect(
      fieldsOf(
        pipelineWith(p => {
          p.kind = 'Component';
        }),
      ),
    ).toEqual(['kind']);
  });

  it('rejects input that is not an object', () => {
    expect(fieldsOf(undefined)).toEqual(['(entity)']);
    expect(fieldsOf('pipeline')).toEqual(['(entity)']);
  });

  it('reports every problem of a pipeline at once', () => {
    const issues = issuesOf(
      pipelineWith(p => {
        p.spec.owner = 'component:default/x';
        p.spec.stages[2].dependsOn = ['ghost'];
        p.spec.slos[1].name = 'answer-quality';
      }),
    );
    expect(issues.map(i => i.field)).toEqual([
      'spec.owner',
      'spec.stages[2].dependsOn[0]',
      'spec.slos[1].name',
    ]);
  });

  it('reports the rules across fields even when the shape is wrong', () => {
    const issues = issuesOf(
      pipelineWith(p => {
        p.spec.stages[0].type = 'teleportation';
        p.spec.stages[2].dependsOn = ['ghost'];
      }),
    );
    expect(issues.map(i => i.field)).toEqual([
      'spec.stages[0].type',
      'spec.stages[2].dependsOn[0]',
    ]);
  });

  it('reports each problem once when the shape is wrong', () => {
    const issues = issuesOf(
      pipelineWith(p => {
        p.spec.owner = 'a:b:c';
        p.spec.stages[0].type = 'teleportation';
        p.spec.stages[1].dependsOn = ['', 42, 'ingest'];
        p.spec.slos[0].target = 2;
      }),
    );
    expect(issues.map(i => i.field).sort()).toEqual(
      [
        'spec.owner',
        'spec.stages[0].type',
        'spec.stages[1].dependsOn[0]',
        'spec.stages[1].dependsOn[1]',
        'spec.slos[0].target',
      ].sort(),
    );
  });

  it('does not throw on a spec of the wrong shape', () => {
    expect(
      fieldsOf(
        pipelineWith(p => {
          p.spec.stages = 'ingest';
          p.spec.slos = [null];
        }),
      ),
    ).toEqual(['spec.stages', 'spec.slos[0]']);
  });

  it('formats issues one per field', () => {
    expect(
      formatValidationIssues([
        { field: 'spec.owner', message: 'is required' },
        { field: 'spec.stages[1].type', message: 'is unknown' },
      ]),
    ).toBe('spec.owner: is required; spec.stages[1].type: is unknown');
  });
});

describe('aiPipelineJsonSchema', () => {
  it('is a JSON Schema object whose spec describes the stages', () => {
    expect(aiPipelineJsonSchema).toEqual(
      expect.objectContaining({ type: 'object' }),
    );
    const properties = aiPipelineJsonSchema.properties as AnyObject;
    expect(properties).toEqual(
      expect.objectContaining({
        apiVersion: expect.anything(),
        kind: expect.anything(),
        metadata: expect.anything(),
        spec: expect.anything(),
      }),
    );
    const spec = properties.spec;
    expect(spec.type).toBe('object');
    expect(spec.required).toEqual(
      expect.arrayContaining(['type', 'lifecycle', 'owner', 'stages']),
    );
    const stages = spec.properties.stages;
    expect(stages.type).toBe('array');
    expect(stages.minItems).toBe(1);
    expect(stages.items.type).toBe('object');
    expect(stages.items.required).toEqual(
      expect.arrayContaining(['name', 'type']),
    );
    expect(stages.items.properties.type.enum).toEqual(
      expect.arrayContaining(['data-ingestion', 'embedding', 'serving']),
    );
    expect(stages.items.properties.dependsOn.type).toBe('array');
  });

  it('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(aiPipelineJsonSchema))).toEqual(
      aiPipelineJsonSchema,
    );
  });
});

describe('examples/pipelines.yaml', () => {
  const file = path.resolve(__dirname, '../../../../examples/pipelines.yaml');
  const pipelines: AnyObject[] = parseAllDocuments(
    fs.readFileSync(file, 'utf8'),
  )
    .map(doc => doc.toJS() as AnyObject)
    .filter(doc => doc && doc.kind === 'AIPipeline');

  it('holds several pipelines, among them broken-pipeline', () => {
    expect(pipelines.length).toBeGreaterThan(1);
    expect(pipelines.map(p => p.metadata.name)).toContain('broken-pipeline');
  });

  it.each(
    pipelines
      .filter(p => p.metadata.name !== 'broken-pipeline')
      .map(p => [p.metadata.name, p] as const),
  )('%s validates', (_name, pipeline) => {
    const result = validateAIPipelineEntity(pipeline);
    expect(result.valid ? [] : result.issues).toEqual([]);
  });

  it('broken-pipeline fails on its stage type and on its dependsOn cycle', () => {
    const broken = pipelines.find(p => p.metadata.name === 'broken-pipeline');
    const issues = issuesOf(broken);
    const typeIndex = broken!.spec.stages.findIndex(
      (s: AnyObject) => s.type === 'teleportation',
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        {
          field: `spec.stages[${typeIndex}].type`,
          message: expect.any(String),
        },
        {
          field: expect.stringMatching(/^spec\.stages\[[01]\]\.dependsOn$/),
          message: expect.stringMatching(/cycle: (a → b → a|b → a → b)$/),
        },
      ]),
    );
  });
});
