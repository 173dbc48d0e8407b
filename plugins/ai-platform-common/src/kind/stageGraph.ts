/**
 * A dependency between two stages: `to` depends on `from`.
 *
 * @public
 */
export interface StageEdge {
  /** The upstream stage. */
  from: string;
  /** The stage that depends on `from`. */
  to: string;
}

/**
 * The `dependsOn` graph of a pipeline's stages: the one implementation behind
 * validation (cycles), the ownership graph's edges and layout, and pipeline
 * health (upstream suspects, downstream stages).
 *
 * @public
 */
export interface StageGraph {
  /** Stage names, each once, in the order given. */
  readonly stages: ReadonlyArray<string>;
  /**
   * Every edge once, in the order given; edges from or to a stage that is not
   * in the graph are left out.
   */
  readonly edges: ReadonlyArray<StageEdge>;
  /**
   * A topological order, upstream first: by {@link StageGraph.layer}, then in
   * the order given. Stages on or behind a cycle come last.
   */
  readonly order: ReadonlyArray<string>;
  /**
   * The longest chain of dependencies above a stage (0 for a source). Stages
   * on or behind a cycle (invalid input) get one more than any other stage.
   */
  layer(stage: string): number;
  /** The stages a stage depends on directly. */
  upstream(stage: string): ReadonlyArray<string>;
  /** The stages that depend on a stage directly. */
  downstream(stage: string): ReadonlyArray<string>;
  /** Every stage a stage depends on, transitively, in {@link StageGraph.order}. */
  allUpstream(stage: string): string[];
  /** Every stage that depends on a stage, transitively, in {@link StageGraph.order}. */
  allDownstream(stage: string): string[];
  /**
   * One dependency cycle, found by following `dependsOn` from the stages in
   * the order given: `['a', 'b', 'a']` when a depends on b and b on a.
   * Undefined when there is none.
   */
  findCycle(): string[] | undefined;
}

/**
 * Builds the stage graph of `stages` (names; a repeated name counts once) and
 * `edges`. Linear in stages + edges.
 *
 * @public
 */
export function createStageGraph(
  stages: Iterable<string>,
  edges: Iterable<StageEdge>,
): StageGraph {
  const names = [...new Set(stages)];
  const preds = new Map<string, string[]>(names.map(n => [n, []]));
  const succs = new Map<string, string[]>(names.map(n => [n, []]));
  const kept: StageEdge[] = [];
  const seen = new Set<string>();
  for (const { from, to } of edges) {
    const key = `${from}\0${to}`;
    if (!preds.has(from) || !preds.has(to) || seen.has(key)) continue;
    seen.add(key);
    kept.push({ from, to });
    preds.get(to)!.push(from);
    succs.get(from)!.push(to);
  }

  // Kahn's algorithm; layer = 1 + the largest layer of the dependencies.
  const layers = new Map<string, number>();
  const indegree = new Map(names.map(n => [n, preds.get(n)!.length]));
  const queue = names.filter(n => indegree.get(n) === 0);
  for (const n of queue) layers.set(n, 0);
  for (let i = 0; i < queue.length; i++) {
    const n = queue[i];
    for (const next of succs.get(n)!) {
      layers.set(next, Math.max(layers.get(next) ?? 0, layers.get(n)! + 1));
      const d = indegree.get(next)! - 1;
      indegree.set(next, d);
      if (d === 0) queue.push(next);
    }
  }
  // Stages on or behind a cycle never reach indegree 0, but may have had a
  // layer set by a dependency outside the cycle: they all go last instead.
  let maxLayer = -1;
  for (const n of queue) maxLayer = Math.max(maxLayer, layers.get(n)!);
  for (const n of names) if (indegree.get(n)! > 0) layers.set(n, maxLayer + 1);

  const position = new Map(names.map((n, i) => [n, i]));
  const order = [...names].sort(
    (a, b) =>
      layers.get(a)! - layers.get(b)! || position.get(a)! - position.get(b)!,
  );

  const reach = (stage: string, next: Map<string, string[]>): string[] => {
    const found = new Set<string>();
    const todo = [stage];
    for (let i = 0; i < todo.length; i++) {
      for (const n of next.get(todo[i]) ?? []) {
        if (found.has(n) || n === stage) continue;
        found.add(n);
        todo.push(n);
      }
    }
    return order.filter(n => found.has(n));
  };

  return {
    stages: names,
    edges: kept,
    order,
    layer: stage => layers.get(stage) ?? 0,
    upstream: stage => preds.get(stage) ?? [],
    downstream: stage => succs.get(stage) ?? [],
    allUpstream: stage => reach(stage, preds),
    allDownstream: stage => reach(stage, succs),
    findCycle: () => findCycle(names, preds),
  };
}

/**
 * The stage graph of a pipeline spec's stages, from their `dependsOn`.
 *
 * @public
 */
export function pipelineStageGraph(
  stages: ReadonlyArray<{ name: string; dependsOn?: ReadonlyArray<string> }>,
): StageGraph {
  return createStageGraph(
    stages.map(s => s.name),
    stages.flatMap(s =>
      (s.dependsOn ?? []).map(dep => ({ from: dep, to: s.name })),
    ),
  );
}

/** Depth-first search along `dependsOn`; returns the stages of one cycle. */
function findCycle(
  names: ReadonlyArray<string>,
  dependencies: Map<string, string[]>,
): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    state.set(node, 'visiting');
    stack.push(node);
    for (const next of dependencies.get(node)!) {
      const s = state.get(next);
      if (s === 'visiting') {
        return [...stack.slice(stack.indexOf(next)), next];
      }
      if (s === undefined) {
        const found = visit(next);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of names) {
    if (!state.has(node)) {
      const found = visit(node);
      if (found) return found;
    }
  }
  return undefined;
}
