import { PageInfo } from '../api/pagination';
import { FindingSeverity, OwnershipFinding } from './types';

/**
 * Findings counted by severity.
 *
 * @public
 */
export type FindingCounts = Record<FindingSeverity, number>;

/** @public */
export function countFindings(findings: OwnershipFinding[]): FindingCounts {
  const counts: FindingCounts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity] += 1;
  return counts;
}

/**
 * One item of `GET /ownership/report`.
 *
 * @public
 */
export interface OwnershipReportItem {
  pipeline: string;
  owner: string;
  findings: OwnershipFinding[];
}

/**
 * Response of `GET /ownership/report`: one page of the pipelines with findings.
 *
 * @public
 */
export interface OwnershipReport extends PageInfo {
  items: OwnershipReportItem[];
}
