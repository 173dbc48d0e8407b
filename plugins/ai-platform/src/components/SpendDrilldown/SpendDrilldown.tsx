import { SpendItem } from '@aiplatform/plugin-ai-platform-common';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useEffect, useRef } from 'react';
import { DashboardRange } from '../../api/AiPlatformApi';
import { SpendBreadcrumbs } from '../SpendBreadcrumbs';
import { SpendTable } from '../SpendTable';
import { DrillStep, crumbsOfPath } from './path';
import { ServiceSpendLevel } from './ServiceSpendLevel';
import { TeamSpendLevel } from './TeamSpendLevel';

/** The accessible name of a row that drills down. */
const drillLabel = (label: string) => `Drill into ${label}`;

export interface SpendDrilldownProps {
  range: DashboardRange;
  /** Spend per team over the range: the top level. */
  teams: readonly SpendItem[];
  /** Where the drill-down is; empty = all teams. */
  path: readonly DrillStep[];
  onPathChange: (path: DrillStep[]) => void;
  /** Suffix of the CSV file names, e.g. the range's days. */
  csvSuffix: string;
}

/**
 * Spend from the top down: all teams ranked → a team's sub-teams and
 * services → the models of a service's team. Every level is reached with
 * buttons (keyboard too) and the breadcrumb goes back; on each move the
 * focus goes to the new level's heading.
 */
export function SpendDrilldown(props: SpendDrilldownProps) {
  const { range, teams, path, onPathChange, csvSuffix } = props;
  const crumbs = crumbsOfPath(path);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const depth = path.length;
  const last = path[depth - 1];
  const where = `${depth}:${last?.ref ?? ''}`;
  const shown = useRef(where);

  useEffect(() => {
    // Only after a move (whose button is gone), not on the first render.
    if (shown.current !== where) headingRef.current?.focus();
    shown.current = where;
  }, [where]);

  const push = (step: DrillStep) => onPathChange([...path, step]);

  let heading = 'All teams';
  if (last?.kind === 'team') heading = `Team ${crumbs[depth].label}`;
  if (last?.kind === 'service') heading = `Service ${crumbs[depth].label}`;

  return (
    <Box>
      <SpendBreadcrumbs
        crumbs={crumbs}
        onNavigate={index => onPathChange(path.slice(0, index))}
      />
      <Typography
        variant="h5"
        component="h2"
        tabIndex={-1}
        ref={headingRef}
        sx={{ mb: 2, outline: 'none' }}
      >
        {heading}
      </Typography>
      {!last && (
        <SpendTable
          title="Teams ranked by cost"
          description="Each team's own spend; select a team for its sub-teams and services"
          groupBy="team"
          items={teams}
          selectLabel={drillLabel}
          onSelect={ref => push({ kind: 'team', ref })}
          csvFilename={`ai-spend-teams-${csvSuffix}.csv`}
          emptyText="No team you can see spent anything on AI in this range."
        />
      )}
      {last?.kind === 'team' && (
        <TeamSpendLevel
          key={last.ref}
          team={last.ref}
          range={range}
          csvSuffix={csvSuffix}
          onSelectTeam={ref => push({ kind: 'team', ref })}
          onSelectService={ref =>
            push({ kind: 'service', ref, team: last.ref })
          }
        />
      )}
      {last?.kind === 'service' && (
        <ServiceSpendLevel
          key={`${last.team} ${last.ref}`}
          service={last.ref}
          team={last.team}
          range={range}
          csvSuffix={csvSuffix}
        />
      )}
    </Box>
  );
}
