import { shortRef } from '@aiplatform/plugin-ai-platform-common';
import { SpendCrumb } from '../SpendBreadcrumbs';

/** One level below "all teams": a team (or sub-team), or a service of a team. */
export type DrillStep =
  | { kind: 'team'; ref: string }
  | { kind: 'service'; ref: string; team: string };

/** The team the path is in (the team of a service step), if any. */
export function teamOfPath(path: readonly DrillStep[]): string | undefined {
  const last = path[path.length - 1];
  if (!last) return undefined;
  return last.kind === 'team' ? last.ref : last.team;
}

/** The breadcrumb of a path: "All teams", then each step. */
export function crumbsOfPath(path: readonly DrillStep[]): SpendCrumb[] {
  return [
    { label: 'All teams' },
    ...path.map(step => ({ label: shortRef(step.ref), title: step.ref })),
  ];
}

/** The same ref, whatever the case (the backend lowercases refs). */
export function sameRef(a: string, b: string): boolean {
  return a.toLocaleLowerCase('en-US') === b.toLocaleLowerCase('en-US');
}
