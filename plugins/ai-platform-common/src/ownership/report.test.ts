import { countFindings } from './report';
import { OwnershipFinding } from './types';

function finding(severity: OwnershipFinding['severity']): OwnershipFinding {
  const code = {
    error: 'unowned-stage',
    warning: 'no-e2e-slo',
    info: 'cross-team-handoff',
  } as const;
  return { code: code[severity], severity, message: severity };
}

describe('countFindings', () => {
  it('counts findings by severity', () => {
    expect(
      countFindings([
        finding('error'),
        finding('warning'),
        finding('info'),
        finding('warning'),
        finding('error'),
        finding('error'),
      ]),
    ).toEqual({ error: 3, warning: 2, info: 1 });
  });

  it('counts zero of each for no findings', () => {
    expect(countFindings([])).toEqual({ error: 0, warning: 0, info: 0 });
  });
});
