import { linkableEntityRef } from '../../lib/entityRefs';
import { DrillStep } from '../SpendDrilldown';
import {
  DEFAULT_SPEND_RANGE,
  SpendRangeId,
  isSpendRangeId,
} from '../SpendRangePicker';

/**
 * What the spend page shows, as its query string holds it (see the plugin
 * README): `?range=30d&team=group:default/ml-search&path=group:default/ml-team&service=component:default/ranker`.
 */
export const SPEND_QUERY = {
  /** `month` (the default), `30d` or `90d`. */
  range: 'range',
  /** The team drilled into (a Group ref): its sub-teams and services. */
  team: 'team',
  /** The teams drilled through to reach `team`, top first (repeated). */
  path: 'path',
  /** A service of `team` drilled into (an entity ref): the team's models. */
  service: 'service',
} as const;

/** More teams above `team` than an org chart has levels: not a real path. */
export const MAX_SPEND_PATH = 20;

/** The range and the drill-down of the spend page. */
export interface SpendView {
  range: SpendRangeId;
  /** Empty = all teams; else teams, then at most one service of the last. */
  path: DrillStep[];
}

const groupRef = (value: string | null) =>
  value === null ? undefined : linkableEntityRef(value, ['group']);

/**
 * The view a query string asks for. A value that is not valid falls back
 * to its default and takes nothing below it: an unknown range is this
 * month; a `team` that is not a Group ref is the top (all teams), with no
 * `path` or `service`; a `path` with any entry that is not a Group ref (or
 * longer than {@link MAX_SPEND_PATH}) is dropped; a `service` that is not
 * an entity ref, or without a `team`, is dropped. Never throws.
 */
export function parseSpendView(search: string): SpendView {
  const params = new URLSearchParams(search);
  const range = params.get(SPEND_QUERY.range);
  const view: SpendView = {
    range: isSpendRangeId(range) ? range : DEFAULT_SPEND_RANGE,
    path: [],
  };
  const team = groupRef(params.get(SPEND_QUERY.team));
  if (!team) return view;

  const above = params.getAll(SPEND_QUERY.path);
  const trail = above.map(groupRef);
  if (above.length <= MAX_SPEND_PATH && trail.every(Boolean)) {
    view.path.push(...trail.map(ref => ({ kind: 'team' as const, ref: ref! })));
  }
  view.path.push({ kind: 'team', ref: team });

  const service = params.get(SPEND_QUERY.service);
  const serviceRef = service === null ? undefined : linkableEntityRef(service);
  if (serviceRef) view.path.push({ kind: 'service', ref: serviceRef, team });
  return view;
}

/** A query value as is, but for what a query string cannot hold: refs stay readable. */
const encode = (value: string) =>
  encodeURIComponent(value).replace(/%3A/g, ':').replace(/%2F/g, '/');

/**
 * The query string of a view (`?…`, or `''` for the default view): the
 * range unless it is the default, then the team, its service and the
 * teams above it. {@link parseSpendView} reads it back as the same view.
 */
export function formatSpendView(view: SpendView): string {
  const pairs: Array<[string, string]> = [];
  if (view.range !== DEFAULT_SPEND_RANGE) {
    pairs.push([SPEND_QUERY.range, view.range]);
  }
  const teams = view.path.filter(step => step.kind === 'team');
  const team = teams[teams.length - 1];
  if (team) {
    pairs.push([SPEND_QUERY.team, team.ref]);
    const last = view.path[view.path.length - 1];
    if (last.kind === 'service') pairs.push([SPEND_QUERY.service, last.ref]);
    for (const above of teams.slice(0, -1)) {
      pairs.push([SPEND_QUERY.path, above.ref]);
    }
  }
  if (pairs.length === 0) return '';
  return `?${pairs.map(([k, v]) => `${k}=${encode(v)}`).join('&')}`;
}
