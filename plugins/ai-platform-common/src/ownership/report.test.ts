import { countFindings } from './report';
import { OwnershipFinding } from './types';

describe('countFindings', () => {
  it('counts findings by severity', () => {
    const findings: OwnershipFinding[] = [
      { code: 'unowned-stage', severity: 'error', message: 'a' },
      { code: 'no-e2e-slo', severity: 'warning', message: 'b' },
      { code: 'cross-team-handoff', severity: 'info', message: 'c' },
      { code: 'ownerless-team', severity: 'warning', message: 'd' },
      { code: 'unknown-owner', severity: 'error', message: 'e' },
      { code: 'missing-entity', severity: 'error', message: 'f' },
    ];
    expect(countFindings(findings)).toEqual({ error: 3, warning: 2, info: 1 });
  });

  it('counts zero of each for no findings', () => {
    expect(countFindings([])).toEqual({ error: 0, warning: 0, info: 0 });
  });
});
