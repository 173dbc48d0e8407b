import { parseEntityRef } from '@backstage/catalog-model';

/** The portal path of an entity's page, or of one of its tabs. */
export function entityPath(ref: string, tab?: string): string {
  const { kind, namespace, name } = parseEntityRef(ref);
  const base = `/catalog/${encodeURIComponent(namespace)}/${encodeURIComponent(
    kind.toLocaleLowerCase('en-US'),
  )}/${encodeURIComponent(name)}`;
  return tab ? `${base}/${tab}` : base;
}

/** The Spend page opened on a team. */
export function spendPath(teamRef: string): string {
  return `/ai-platform/spend?team=${encodeURIComponent(teamRef)}`;
}
