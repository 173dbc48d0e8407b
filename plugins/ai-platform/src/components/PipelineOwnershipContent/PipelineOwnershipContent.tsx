import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  OwnershipFinding,
  PipelineOwnership,
  countFindings,
} from '@aiplatform/plugin-ai-platform-common';
import Button from '@mui/material/Button';
import Grid from '@mui/material/Grid';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { memo, useCallback, useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { aiPlatformApiRef } from '../../api/AiPlatformApi';
import { OWNER_KINDS } from '../../lib/entityRefs';
import { EntityRefOrText } from '../EntityRefOrText';
import { FindingChip, FindingCountChips } from '../FindingChip';
import { PipelineHaltAlert } from '../HaltNotice';
import { OwnershipGraph } from '../OwnershipGraph';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Findings listed before "Show all": a pipeline of hundreds of stages has
 * hundreds of handoffs, and rendering every row made the tab slow to open.
 */
const FINDINGS_SHOWN = 50;

const FindingsCard = memo(function FindingsCardView(props: {
  findings: OwnershipFinding[];
  stage?: string;
  onClear: () => void;
}) {
  const { findings, stage, onClear } = props;
  const [expanded, setExpanded] = useState(false);
  const matching = stage ? findings.filter(f => f.stage === stage) : findings;
  const shown =
    expanded || matching.length <= FINDINGS_SHOWN
      ? matching
      : matching.slice(0, FINDINGS_SHOWN);
  return (
    <InfoCard
      title={stage ? `Findings: ${stage}` : 'Findings'}
      action={
        stage ? (
          <Button size="small" onClick={onClear}>
            Show all
          </Button>
        ) : undefined
      }
    >
      {shown.length === 0 ? (
        <Typography variant="body2">
          {stage ? 'No findings for this stage.' : 'No ownership gaps found.'}
        </Typography>
      ) : (
        <List dense disablePadding>
          {shown.map((f, i) => (
            <ListItem
              key={`${f.code}-${f.stage ?? ''}-${i}`}
              disableGutters
              alignItems="flex-start"
            >
              <Stack
                direction="row"
                gap={1.5}
                alignItems="flex-start"
                sx={{ width: '100%' }}
              >
                <FindingChip finding={f} />
                <ListItemText
                  sx={{ m: 0, flex: 1, minWidth: 0 }}
                  primary={f.message}
                  secondary={f.stage ? `stage ${f.stage}` : 'pipeline'}
                />
              </Stack>
            </ListItem>
          ))}
        </List>
      )}
      {shown.length < matching.length && (
        <Button size="small" sx={{ mt: 1 }} onClick={() => setExpanded(true)}>
          Show all {matching.length} findings
        </Button>
      )}
    </InfoCard>
  );
});

const BlastRadiusCard = memo(function BlastRadiusCardView(props: {
  ownership: PipelineOwnership;
}) {
  const { consumers } = props.ownership;
  return (
    <InfoCard
      title="Blast radius"
      subheader="Who is hurt when this pipeline breaks"
    >
      {consumers.length === 0 ? (
        <Typography variant="body2">
          Nothing in the catalog depends on this pipeline or its stages.
        </Typography>
      ) : (
        <List dense disablePadding data-testid="consumers">
          {consumers.map(c => (
            <ListItem key={c.entityRef} disableGutters>
              <ListItemText
                primary={<EntityRefOrText value={c.entityRef} />}
                secondary={
                  c.owner ? (
                    <>
                      owned by{' '}
                      <EntityRefOrText value={c.owner} kinds={OWNER_KINDS} />
                    </>
                  ) : (
                    'no owner'
                  )
                }
              />
            </ListItem>
          ))}
        </List>
      )}
    </InfoCard>
  );
});

/** Pure view of a pipeline's ownership; fetched by the entity tab. */
export function PipelineOwnershipView(props: { ownership: PipelineOwnership }) {
  const { ownership } = props;
  const [selected, setSelected] = useState<string | undefined>();
  const counts = useMemo(() => countFindings(ownership.findings), [ownership]);
  const handoffs = ownership.findings.filter(
    f => f.code === 'cross-team-handoff',
  ).length;
  const teams = new Set(ownership.stages.map(s => s.owner).filter(Boolean))
    .size;
  // Stable callbacks, so that a click re-renders only the stage nodes whose
  // selection changed (the graph's nodes are memoized).
  const onSelectStage = useCallback(
    (s: string) => setSelected(prev => (prev === s ? undefined : s)),
    [],
  );
  const onClear = useCallback(() => setSelected(undefined), []);

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <InfoCard
          title="End-to-end ownership"
          subheader={
            <Stack direction="row" gap={2} alignItems="center" flexWrap="wrap">
              <span>
                Accountable:{' '}
                <EntityRefOrText value={ownership.owner} kinds={OWNER_KINDS} />
              </span>
              <span>
                {plural(ownership.stages.length, 'stage')} ·{' '}
                {plural(teams, 'team')} · {plural(handoffs, 'handoff')}
              </span>
              <FindingCountChips counts={counts} />
            </Stack>
          }
        >
          <OwnershipGraph
            ownership={ownership}
            selectedStage={selected}
            onSelectStage={onSelectStage}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={8}>
        <FindingsCard
          findings={ownership.findings}
          stage={selected}
          onClear={onClear}
        />
      </Grid>
      <Grid item xs={12} md={4}>
        <BlastRadiusCard ownership={ownership} />
      </Grid>
    </Grid>
  );
}

/** Entity tab of an AIPipeline: its ownership graph, findings and blast radius. */
export function PipelineOwnershipContent() {
  const { entity } = useEntity();
  const api = useApi(aiPlatformApiRef);
  const namespace = entity.metadata.namespace ?? 'default';
  const { name } = entity.metadata;
  const { value, loading, error } = useAsync(
    () => api.getPipelineOwnership(namespace, name),
    [api, namespace, name],
  );
  let body = null;
  if (loading) body = <Progress />;
  else if (error) body = <ResponseErrorPanel error={error} />;
  else if (value) body = <PipelineOwnershipView ownership={value} />;
  return (
    <>
      <PipelineHaltAlert namespace={namespace} name={name} />
      {body}
    </>
  );
}
