import { createStageGraph, pipelineStageGraph } from './stageGraph';

/** ingest → clean → train → serve, and ingest → features → train. */
const diamond = () =>
  pipelineStageGraph([
    { name: 'serve', dependsOn: ['train'] },
    { name: 'ingest' },
    { name: 'train', dependsOn: ['clean', 'features'] },
    { name: 'clean', dependsOn: ['ingest'] },
    { name: 'features', dependsOn: ['ingest'] },
  ]);

describe('pipelineStageGraph', () => {
  it('builds one edge per dependsOn entry, from the dependency to the stage', () => {
    expect(diamond().edges).toEqual([
      { from: 'train', to: 'serve' },
      { from: 'clean', to: 'train' },
      { from: 'features', to: 'train' },
      { from: 'ingest', to: 'clean' },
      { from: 'ingest', to: 'features' },
    ]);
  });

  it('orders stages upstream first, by layer and then by spec position', () => {
    const graph = diamond();
    expect(graph.order).toEqual([
      'ingest',
      'clean',
      'features',
      'train',
      'serve',
    ]);
    expect(graph.stages.map(s => graph.layer(s))).toEqual([3, 0, 2, 1, 1]);
  });

  it('walks direct and transitive neighbours, in topological order', () => {
    const graph = diamond();
    expect(graph.upstream('train')).toEqual(['clean', 'features']);
    expect(graph.downstream('ingest')).toEqual(['clean', 'features']);
    expect(graph.allUpstream('serve')).toEqual([
      'ingest',
      'clean',
      'features',
      'train',
    ]);
    expect(graph.allDownstream('clean')).toEqual(['train', 'serve']);
    expect(graph.allDownstream('serve')).toEqual([]);
    expect(graph.allUpstream('unknown')).toEqual([]);
  });

  it('has no cycle when dependsOn is acyclic', () => {
    expect(diamond().findCycle()).toBeUndefined();
  });
});

describe('createStageGraph', () => {
  it('keeps each stage and edge once and drops edges to unknown stages', () => {
    const graph = createStageGraph(
      ['a', 'b', 'a'],
      [
        { from: 'a', to: 'b' },
        { from: 'a', to: 'b' },
        { from: 'ghost', to: 'b' },
        { from: 'b', to: 'ghost' },
      ],
    );
    expect(graph.stages).toEqual(['a', 'b']);
    expect(graph.edges).toEqual([{ from: 'a', to: 'b' }]);
    expect(graph.upstream('b')).toEqual(['a']);
  });

  it('finds a cycle by following dependsOn, naming where it closes', () => {
    // b depends on a, c on b, a on c: a → c → b → a along dependsOn.
    const graph = createStageGraph(
      ['src', 'a', 'b', 'c'],
      [
        { from: 'src', to: 'a' },
        { from: 'a', to: 'b' },
        { from: 'b', to: 'c' },
        { from: 'c', to: 'a' },
      ],
    );
    expect(graph.findCycle()).toEqual(['a', 'c', 'b', 'a']);
  });

  it('puts stages on or behind a cycle after every other stage', () => {
    const graph = createStageGraph(
      ['src', 'a', 'b', 'after', 'ok'],
      [
        { from: 'src', to: 'a' },
        { from: 'a', to: 'b' },
        { from: 'b', to: 'a' },
        { from: 'b', to: 'after' },
        { from: 'src', to: 'ok' },
      ],
    );
    expect(graph.order).toEqual(['src', 'ok', 'a', 'b', 'after']);
    expect(['a', 'b', 'after'].map(s => graph.layer(s))).toEqual([2, 2, 2]);
    // Walks stop at the start even on a cycle.
    expect(graph.allDownstream('a')).toEqual(['b', 'after']);
  });

  it('treats a stage depending on itself as a cycle', () => {
    const graph = createStageGraph(['a', 'b'], [{ from: 'a', to: 'a' }]);
    expect(graph.findCycle()).toEqual(['a', 'a']);
    expect(graph.order).toEqual(['b', 'a']);
    expect(graph.allDownstream('a')).toEqual([]);
  });
});
