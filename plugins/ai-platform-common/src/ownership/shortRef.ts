/**
 * Short display form of a ref: `group:default/ml-team` → `ml-team`.
 *
 * @public
 */
export function shortRef(ref: string): string {
  const match = /^([^:]+):([^/]+)\/(.+)$/.exec(ref);
  if (!match) return ref;
  const [, , namespace, name] = match;
  return namespace === 'default' ? name : `${namespace}/${name}`;
}
