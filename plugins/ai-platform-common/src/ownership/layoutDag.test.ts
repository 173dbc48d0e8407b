import { DagLayout, layoutDag } from './layoutDag';
import { OwnershipEdge } from './types';

function e(from: string, to: string): OwnershipEdge {
  return { from, to };
}

function positions(layout: DagLayout) {
  return new Map(layout.nodes.map(n => [n.id, n]));
}

/** Node ids of each layer, in row order. */
function rows(layout: DagLayout): string[][] {
  const result: string[][] = Array.from({ length: layout.layers }, () => []);
  for (const n of [...layout.nodes].sort((a, b) => a.order - b.order)) {
    result[n.layer].push(n.id);
  }
  return result;
}

/** Crossings between edges that join adjacent layers. */
function crossings(layout: DagLayout, edges: OwnershipEdge[]): number {
  const pos = positions(layout);
  const adjacent = edges
    .map(({ from, to }) => [pos.get(from)!, pos.get(to)!] as const)
    .filter(([f, t]) => t.layer === f.layer + 1);
  let count = 0;
  for (let i = 0; i < adjacent.length; i++) {
    for (let j = i + 1; j < adjacent.length; j++) {
      const [f1, t1] = adjacent[i];
      const [f2, t2] = adjacent[j];
      if (f1.layer !== f2.layer) continue;
      if ((f1.order - f2.order) * (t1.order - t2.order) < 0) count++;
    }
  }
  return count;
}

/** Asserts the invariants every layout must hold. */
function expectWellFormed(
  layout: DagLayout,
  ids: string[],
  edges: OwnershipEdge[],
) {
  expect(layout.nodes.map(n => n.id)).toEqual(ids);
  const byLayer = rows(layout);
  expect(layout.layers).toBe(
    Math.max(0, ...layout.nodes.map(n => n.layer + 1)),
  );
  expect(layout.width).toBe(Math.max(0, ...byLayer.map(r => r.length)));
  // Rows of each layer are 0..n-1, each once.
  for (let l = 0; l < layout.layers; l++) {
    const orders = layout.nodes
      .filter(n => n.layer === l)
      .map(n => n.order)
      .sort((a, b) => a - b);
    expect(orders).toEqual(orders.map((_, i) => i));
  }
  const pos = positions(layout);
  for (const { from, to } of edges) {
    expect(pos.get(from)!.layer).toBeLessThan(pos.get(to)!.layer);
  }
}

describe('layoutDag', () => {
  it('lays out nothing', () => {
    expect(layoutDag([], [])).toEqual({ nodes: [], layers: 0, width: 0 });
  });

  it('puts unconnected nodes in one layer', () => {
    const layout = layoutDag(['a', 'b', 'c'], []);
    expect(layout.layers).toBe(1);
    expect(layout.width).toBe(3);
    expect(rows(layout)).toEqual([['a', 'b', 'c']]);
  });

  it('layers a node by the longest path leading to it', () => {
    const ids = ['a', 'b', 'c', 'd'];
    // a → b → c → d, and a shortcut a → d
    const edges = [e('a', 'b'), e('b', 'c'), e('c', 'd'), e('a', 'd')];
    const layout = layoutDag(ids, edges);
    expectWellFormed(layout, ids, edges);
    expect(layout.nodes.map(n => [n.id, n.layer])).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 2],
      ['d', 3],
    ]);
    expect(layout.layers).toBe(4);
    expect(layout.width).toBe(1);
  });

  it('layers by longest path whatever the order of the ids', () => {
    const ids = ['d', 'c', 'b', 'a'];
    const edges = [e('a', 'd'), e('c', 'd'), e('b', 'c'), e('a', 'b')];
    const pos = positions(layoutDag(ids, edges));
    expect(['a', 'b', 'c', 'd'].map(id => pos.get(id)!.layer)).toEqual([
      0, 1, 2, 3,
    ]);
  });

  it('gives a diamond 3 layers', () => {
    const ids = ['a', 'b', 'c', 'd'];
    const edges = [e('a', 'b'), e('a', 'c'), e('b', 'd'), e('c', 'd')];
    const layout = layoutDag(ids, edges);
    expectWellFormed(layout, ids, edges);
    expect(layout.layers).toBe(3);
    expect(layout.width).toBe(2);
    expect(rows(layout)).toEqual([['a'], ['b', 'c'], ['d']]);
  });

  it('puts nodes with a shared parent next to each other', () => {
    // Children listed interleaved: a1 b1 a2 b2.
    const ids = ['pa', 'pb', 'a1', 'b1', 'a2', 'b2'];
    const edges = [e('pa', 'a1'), e('pb', 'b1'), e('pa', 'a2'), e('pb', 'b2')];
    const before = layoutDag(ids, edges, 0);
    expect(crossings(before, edges)).toBeGreaterThan(0);

    const layout = layoutDag(ids, edges);
    expectWellFormed(layout, ids, edges);
    const pos = positions(layout);
    const row = (id: string) => pos.get(id)!.order;
    expect(Math.abs(row('a1') - row('a2'))).toBe(1);
    expect(Math.abs(row('b1') - row('b2'))).toBe(1);
    expect(crossings(layout, edges)).toBe(0);
  });

  it('untangles crossed parents and children over several layers', () => {
    // x feeds the right-hand child, y the left-hand one: a crossing.
    const ids = ['x', 'y', 'cy', 'cx', 'gx', 'gy'];
    const edges = [e('x', 'cx'), e('y', 'cy'), e('cx', 'gx'), e('cy', 'gy')];
    const layout = layoutDag(ids, edges);
    expectWellFormed(layout, ids, edges);
    expect(crossings(layout, edges)).toBe(0);
  });

  it('ignores edges to unknown nodes', () => {
    const layout = layoutDag(['a', 'b'], [e('a', 'b'), e('ghost', 'a')]);
    expect(layout.nodes).toEqual([
      { id: 'a', layer: 0, order: 0 },
      { id: 'b', layer: 1, order: 0 },
    ]);
  });

  it('keeps nodes on a cycle, in a last layer', () => {
    const ids = ['root', 'a', 'b', 'c'];
    // root → a ⇄ b, and root → c
    const edges = [e('root', 'a'), e('a', 'b'), e('b', 'a'), e('root', 'c')];
    const layout = layoutDag(ids, edges);
    expect(layout.nodes.map(n => [n.id, n.layer])).toEqual([
      ['root', 0],
      ['a', 2],
      ['b', 2],
      ['c', 1],
    ]);
    expect(layout.layers).toBe(3);
    expect(rows(layout)[2].sort()).toEqual(['a', 'b']);
  });

  it('puts a graph that is only a cycle in one layer', () => {
    const layout = layoutDag(['a', 'b'], [e('a', 'b'), e('b', 'a')]);
    expect(layout.layers).toBe(1);
    expect(layout.nodes.map(n => n.layer)).toEqual([0, 0]);
    expect(layout.width).toBe(2);
  });

  it('lays out a 200-node random DAG', () => {
    // Deterministic pseudo-random numbers (mulberry32).
    let seed = 0xc0ffee;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = seed;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const n = 200;
    const topo = Array.from({ length: n }, (_, i) => `s${i}`);
    const edges: OwnershipEdge[] = [];
    for (let j = 1; j < n; j++) {
      // one to three parents among the earlier nodes, mostly nearby ones
      const parents = new Set<number>();
      const count = 1 + Math.floor(random() * 3);
      for (let k = 0; k < count; k++) {
        parents.add(Math.max(0, j - 1 - Math.floor(random() * 12)));
      }
      for (const i of parents) edges.push(e(topo[i], topo[j]));
    }
    // Shuffle the ids so that their order says nothing of the topology.
    const ids = [...topo];
    for (let i = ids.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [ids[i], ids[j]] = [ids[j], ids[i]];
    }

    const layout = layoutDag(ids, edges);
    expectWellFormed(layout, ids, edges);

    // The layer of each node is its longest path, computed independently.
    const longest = new Map<string, number>();
    for (const id of topo) {
      const preds = edges
        .filter(x => x.to === id)
        .map(x => longest.get(x.from)!);
      longest.set(id, preds.length ? 1 + Math.max(...preds) : 0);
    }
    const pos = positions(layout);
    for (const id of topo) {
      expect(pos.get(id)!.layer).toBe(longest.get(id));
    }
    expect(layout.layers).toBe(Math.max(...longest.values()) + 1);
    expect(layout.layers).toBeGreaterThan(10);
    expect(layout.width).toBeGreaterThan(1);
  });
});
