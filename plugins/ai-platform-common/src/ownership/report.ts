import { FindingSeverity, OwnershipFinding, PipelineOwnership } from './types';

/** Findings counted by severity. */
export type FindingCounts = Record<FindingSeverity, number>;

export function countFindings(findings: OwnershipFinding[]): FindingCounts {
  const counts: FindingCounts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity] += 1;
  return counts;
}

/** One item of `GET /ownership/report`. */
export interface OwnershipReportItem {
  pipeline: string;
  owner: string;
  findings: OwnershipFinding[];
}

/** Response of `GET /ownership/report`. */
export interface OwnershipReport {
  items: OwnershipReportItem[];
}

/** True when a team (a set of group refs) owns the pipeline or any stage. */
export function isOwnedByAny(
  graph: PipelineOwnership,
  owners: ReadonlySet<string>,
): boolean {
  return (
    owners.has(graph.owner) ||
    graph.stages.some(s => s.owner !== null && owners.has(s.owner))
  );
}

/**
 * The ownership report: every pipeline with its findings; with `owners`, only
 * the pipelines that those groups own or own a stage of.
 */
export function buildOwnershipReport(
  graphs: Iterable<PipelineOwnership>,
  owners?: ReadonlySet<string>,
): OwnershipReport {
  const items: OwnershipReportItem[] = [];
  for (const graph of graphs) {
    if (owners && !isOwnedByAny(graph, owners)) continue;
    items.push({
      pipeline: graph.pipeline,
      owner: graph.owner,
      findings: graph.findings,
    });
  }
  items.sort((a, b) => a.pipeline.localeCompare(b.pipeline));
  return { items };
}
