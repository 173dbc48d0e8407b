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
