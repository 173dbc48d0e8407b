/**
 * Compares strings by UTF-16 code units: a total order, the same in every
 * process, which is all that writing rows in one order across concurrent
 * transactions (and replicas) needs.
 */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
