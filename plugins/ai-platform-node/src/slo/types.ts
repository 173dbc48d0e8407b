/**
 * One evaluation unit of an SLO: a time slice and the value the signal had in
 * it (the mean of its points). Hourly slices serve the SLO window and the 3 d
 * burn-rate window; fine slices (raw points or a few minutes) serve the
 * windows of 6 h and less.
 *
 * @public
 */
export interface SloSample {
  /** Slice start, epoch ms. */
  start: number;
  value: number;
}

/** @public */
export interface SloSamples {
  /** Hourly slices covering at least the SLO window and 3 days, sorted by start. */
  hourly: SloSample[];
  /** Fine-grained samples covering at least the last 6 h, sorted by start. */
  fine: SloSample[];
}
