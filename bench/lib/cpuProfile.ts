/*
 * Summarizes a V8 CPU profile (Chrome DevTools Protocol `Profiler.stop`):
 * self time by function, the heaviest first, so a benchmark can say what
 * dominates.
 */
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    hitCount?: number;
  }[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export function summarizeCpuProfile(
  profile: CpuProfile,
  label: string,
  top = 15,
): Record<string, { totalMs: number; top: { fn: string; selfMs: number }[] }> {
  const byId = new Map(profile.nodes.map(n => [n.id, n]));
  const self = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const node = byId.get(samples[i]);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.split('/').pop()?.split('?')[0] ?? '';
    const key = `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
    // A sample's time is the delta to the next sample.
    const dt = (deltas[i + 1] ?? 0) / 1000;
    self.set(key, (self.get(key) ?? 0) + dt);
  }
  const rows = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([fn, selfMs]) => ({ fn, selfMs: Math.round(selfMs * 10) / 10 }));
  return {
    [label]: {
      totalMs: Math.round((profile.endTime - profile.startTime) / 100) / 10,
      top: rows,
    },
  };
}
