import { END_TO_END_COLOR, ownerColor, stageColors } from './ownerColor';

describe('stageColors', () => {
  it('gives every stage of a pipeline a distinct colour', () => {
    const stages = ['ingest', 'embed', 'index', 'retrieve', 'serve', 'eval'];
    const colors = stageColors(stages);
    expect([...colors.keys()].sort()).toEqual([...stages].sort());
    expect(new Set(colors.values()).size).toBe(stages.length);
    expect([...colors.values()]).not.toContain(END_TO_END_COLOR);
  });

  it('is stable whatever the order the stages come in', () => {
    const a = stageColors(['serve', 'embed', 'ingest']);
    const b = stageColors(['ingest', 'serve', 'embed', 'serve']);
    expect(Object.fromEntries(a)).toEqual(Object.fromEntries(b));
  });

  it('keeps the hashed colour of a stage when it is free', () => {
    expect(stageColors(['embed']).get('embed')).toBe(ownerColor('embed'));
  });

  it('still colours every stage when there are more stages than colours', () => {
    const stages = Array.from({ length: 14 }, (_, i) => `stage-${i}`);
    const colors = stageColors(stages);
    expect(colors.size).toBe(14);
    for (const color of colors.values()) expect(color).toMatch(/^#/);
  });
});
