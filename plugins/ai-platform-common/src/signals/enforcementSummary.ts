import { HaltEnforcementEntry } from './types';

const LABELS: Record<string, string> = {
  litellm: 'LiteLLM',
  kubernetes: 'Kubernetes',
  'envoy-ai-gateway': 'Envoy AI Gateway',
};

const label = (enforcer: string) => LABELS[enforcer] ?? enforcer;

/** `key` of `key:component:default/answers`; none for a URL or a bare name. */
function noun(target: string): string | undefined {
  const match = /^([a-z][a-z-]*):(?!\/\/)/.exec(target);
  return match?.[1];
}

function counted(entries: HaltEnforcementEntry[]): string {
  const counts = new Map<string, number>();
  for (const e of entries) {
    const n = noun(e.target);
    if (n) counts.set(n, (counts.get(n) ?? 0) + 1);
  }
  return [...counts]
    .map(([n, count]) => `${count} ${n}${count === 1 ? '' : 's'}`)
    .join(', ');
}

function byEnforcer(entries: HaltEnforcementEntry[]) {
  const groups = new Map<string, HaltEnforcementEntry[]>();
  for (const e of entries) {
    groups.set(e.enforcer, [...(groups.get(e.enforcer) ?? []), e]);
  }
  return [...groups];
}

/**
 * What the enforcers did, for people, e.g.
 * `halted at LiteLLM (3 keys), webhook; webhook failed: 502 Bad Gateway`.
 * Empty without entries. The
 * halt notice and the halt notifications both say it this way.
 *
 * @public
 */
export function enforcementSummary(
  entries: HaltEnforcementEntry[] | undefined,
  halted: boolean,
): string {
  if (!entries?.length) return '';
  const parts: string[] = [];
  const applied = byEnforcer(entries.filter(e => e.status === 'applied')).map(
    ([enforcer, group]) => {
      const counts = counted(group);
      return counts ? `${label(enforcer)} (${counts})` : label(enforcer);
    },
  );
  if (applied.length) {
    parts.push(`${halted ? 'halted' : 'restored'} at ${applied.join(', ')}`);
  }
  for (const status of ['failed', 'pending'] as const) {
    for (const [enforcer, group] of byEnforcer(
      entries.filter(e => e.status === status),
    )) {
      const messages = [...new Set(group.map(e => e.message))].join(', ');
      parts.push(
        status === 'failed'
          ? `${label(enforcer)} failed: ${messages}`
          : `${label(enforcer)} pending${messages ? `: ${messages}` : ''}`,
      );
    }
  }
  return parts.join('; ');
}

/**
 * Whether a halt has enforcement still being retried.
 *
 * @public
 */
export function hasUnfinishedEnforcement(
  entries: HaltEnforcementEntry[] | undefined,
): boolean {
  return !!entries?.some(e => e.status !== 'applied');
}
