import { runbookFor } from './runbook';

const spec = {
  runbook: 'https://runbooks.example.com/kb-answers',
  stages: [
    {
      name: 'kb-sync',
      type: 'data-ingestion' as const,
      runbook: 'https://runbooks.example.com/kb-sync',
    },
    { name: 'generation', type: 'serving' as const },
  ],
};

describe('runbookFor', () => {
  it("is the stage's runbook when the stage has one", () => {
    expect(runbookFor(spec, 'kb-sync')).toBe(
      'https://runbooks.example.com/kb-sync',
    );
  });

  it("falls back to the pipeline's runbook for a stage without one, no stage or an unknown stage", () => {
    expect(runbookFor(spec, 'generation')).toBe(spec.runbook);
    expect(runbookFor(spec, null)).toBe(spec.runbook);
    expect(runbookFor(spec, 'nope')).toBe(spec.runbook);
  });

  it('is undefined when neither is set', () => {
    expect(runbookFor({ stages: spec.stages.slice(1) }, 'generation')).toBe(
      undefined,
    );
  });
});
