import {
  OwnershipReport,
  OwnershipReportItem,
  PipelineOwnership,
} from '@aiplatform/plugin-ai-platform-common';

/**
 * True when a team (a set of group refs) owns the pipeline or any stage.
 *
 * @public
 */
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
 * the pipelines that those groups own or own a stage of. Not paginated:
 * the backend pages the items.
 *
 * @public
 */
export function buildOwnershipReport(
  graphs: Iterable<PipelineOwnership>,
  owners?: ReadonlySet<string>,
): Pick<OwnershipReport, 'items'> {
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
