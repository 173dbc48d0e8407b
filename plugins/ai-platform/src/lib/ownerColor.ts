/** Colour-blind-friendly palette (Okabe–Ito plus tints) for owning teams. */
const PALETTE = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#56B4E9',
  '#D55E00',
  '#8E6C8A',
  '#F0E442',
  '#3B8686',
  '#A6761D',
];

/** Colour of nodes owned by nobody. */
export const UNOWNED_COLOR = '#9e9e9e';

/** A stable colour per owner ref, so a team looks the same on every page. */
export function ownerColor(owner: string | null): string {
  if (!owner) return UNOWNED_COLOR;
  let hash = 0;
  for (let i = 0; i < owner.length; i++) {
    hash = (hash * 31 + owner.charCodeAt(i)) | 0;
  }
  return PALETTE[Math.abs(hash) % PALETTE.length];
}

/** Colour of the end-to-end (pipeline-level) series: drawn darker and bolder. */
export const END_TO_END_COLOR = '#212121';

/**
 * A distinct, stable colour per stage of one pipeline: each stage starts at
 * the colour its name hashes to, and stages whose colour is taken (in name
 * order) move on to the next free one, so a pipeline's stages look the same
 * in every panel, range and visit.
 */
export function stageColors(stages: Iterable<string>): Map<string, string> {
  const names = [...new Set(stages)].sort();
  const colors = new Map<string, string>();
  const taken = new Set<number>();
  for (const name of names) {
    let index = PALETTE.indexOf(ownerColor(name));
    if (taken.size < PALETTE.length) {
      while (taken.has(index)) index = (index + 1) % PALETTE.length;
    }
    taken.add(index);
    colors.set(name, PALETTE[index]);
  }
  return colors;
}
