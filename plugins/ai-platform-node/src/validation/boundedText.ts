/**
 * Checks shared by every ingestion route: text that fits its column and
 * holds no control characters, numbers that are finite and bounded.
 */

/** C0 controls (NUL, newline, escape, ...), DEL and C1 controls. */
// eslint-disable-next-line no-control-regex -- matching them is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** A UTF-16 surrogate without its pair: not encodable as UTF-8. */
const LONE_SURROGATE =
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Length in characters (code points), as PostgreSQL counts a varchar.
 *
 * @public
 */
export function characterLength(text: string): number {
  // Code points never outnumber UTF-16 units: count only when it matters.
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * Why `text` cannot be stored in a column of `max` characters, or undefined
 * when it can. Text is refused, never cut: a cut id could collide with
 * another and a cut name would attribute usage to something else.
 *
 * @public
 */
export function textProblem(text: string, max: number): string | undefined {
  if (text.length > max && characterLength(text) > max) {
    return `must be at most ${max} characters`;
  }
  if (CONTROL.test(text)) {
    return 'must not contain control characters (such as NUL or a newline)';
  }
  if (LONE_SURROGATE.test(text)) {
    return 'must be valid Unicode (it holds an unpaired surrogate)';
  }
  return undefined;
}

/**
 * Why `value` is not a finite number in [0, max], or undefined.
 *
 * @public
 */
export function boundedNumberProblem(
  value: number,
  max: number,
  options: { integer?: boolean; unit?: string } = {},
): string | undefined {
  if (!Number.isFinite(value)) return 'must be a finite number';
  if (options.integer && !Number.isInteger(value)) {
    return `must be a whole number${options.unit ? ` of ${options.unit}` : ''}`;
  }
  if (value < 0) return 'must not be negative';
  if (value > max) return `must be at most ${max}`;
  return undefined;
}
