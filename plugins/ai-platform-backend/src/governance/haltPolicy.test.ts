import { policyActor, ruleMatches } from './haltPolicy';

describe('ruleMatches', () => {
  it.each([
    ['breached', 'breached', true],
    ['breached', 'at-risk', false],
    ['breached', 'ok', false],
    ['breached', 'no-data', false],
    ['breached', undefined, false],
    ['at-risk', 'breached', true],
    ['at-risk', 'at-risk', true],
    ['at-risk', 'ok', false],
    ['at-risk', 'no-data', false],
  ] as const)('a %s rule on an SLO that is %s: %p', (status, slo, expected) => {
    expect(ruleMatches({ slo: 'x', status }, slo)).toBe(expected);
  });
});

describe('policyActor', () => {
  it('names the SLO', () => {
    expect(policyActor('answer-accuracy')).toBe(
      'ai-platform (policy answer-accuracy)',
    );
  });
});
