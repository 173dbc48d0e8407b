import {
  OwnershipFinding,
  OwnershipStage,
  PipelineOwnership,
  layoutDag,
  shortRef,
} from '@aiplatform/plugin-ai-platform-common';
import Box from '@mui/material/Box';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import { memo, useMemo } from 'react';
import { UNOWNED_COLOR, ownerColor } from '../../lib/ownerColor';

const NODE_W = 200;
const NODE_H = 64;
const COL_GAP = 96;
const ROW_GAP = 24;
const PAD = 16;
const HANDOFF_COLOR = '#E69F00';

interface PositionedStage {
  stage: OwnershipStage;
  x: number;
  y: number;
  errors: number;
  warnings: number;
}

interface PositionedEdge {
  from: string;
  to: string;
  path: string;
  handoff: boolean;
  mid: { x: number; y: number };
}

/** Positions stages and edges; pure, so it is memoized on the ownership data. */
function useGraphLayout(ownership: PipelineOwnership) {
  return useMemo(() => {
    const layout = layoutDag(
      ownership.stages.map(s => s.name),
      ownership.edges,
    );
    const layerSizes: number[] = new Array(layout.layers).fill(0);
    for (const n of layout.nodes) layerSizes[n.layer] += 1;
    const findingsByStage = new Map<string, OwnershipFinding[]>();
    for (const f of ownership.findings) {
      if (!f.stage) continue;
      const list = findingsByStage.get(f.stage) ?? [];
      list.push(f);
      findingsByStage.set(f.stage, list);
    }
    const stageByName = new Map(ownership.stages.map(s => [s.name, s]));
    const nodes = new Map<string, PositionedStage>();
    for (const n of layout.nodes) {
      const offset =
        ((layout.width - layerSizes[n.layer]) * (NODE_H + ROW_GAP)) / 2;
      const findings = findingsByStage.get(n.id) ?? [];
      nodes.set(n.id, {
        stage: stageByName.get(n.id)!,
        x: PAD + n.layer * (NODE_W + COL_GAP),
        y: PAD + offset + n.order * (NODE_H + ROW_GAP),
        errors: findings.filter(f => f.severity === 'error').length,
        warnings: findings.filter(f => f.severity === 'warning').length,
      });
    }
    const edges: PositionedEdge[] = [];
    for (const e of ownership.edges) {
      const a = nodes.get(e.from);
      const b = nodes.get(e.to);
      if (!a || !b) continue;
      const x1 = a.x + NODE_W;
      const y1 = a.y + NODE_H / 2;
      const x2 = b.x;
      const y2 = b.y + NODE_H / 2;
      const dx = (x2 - x1) / 2;
      edges.push({
        ...e,
        path: `M${x1},${y1} C${x1 + dx},${y1} ${x2 - dx},${y2} ${x2},${y2}`,
        handoff:
          !!a.stage.owner && !!b.stage.owner && a.stage.owner !== b.stage.owner,
        mid: { x: (x1 + x2) / 2, y: (y1 + y2) / 2 },
      });
    }
    return {
      nodes: [...nodes.values()],
      edges,
      width:
        PAD * 2 +
        layout.layers * NODE_W +
        Math.max(0, layout.layers - 1) * COL_GAP,
      height:
        PAD * 2 +
        layout.width * NODE_H +
        Math.max(0, layout.width - 1) * ROW_GAP,
    };
  }, [ownership]);
}

const StageNode = memo(function StageNodeView(props: {
  node: PositionedStage;
  selected: boolean;
  textColor: string;
  onSelect?: (stage: string) => void;
}) {
  const { node, selected, textColor, onSelect } = props;
  const { stage } = node;
  const color = ownerColor(stage.owner);
  return (
    <g
      transform={`translate(${node.x},${node.y})`}
      role="button"
      aria-label={`stage ${stage.name}`}
      aria-pressed={selected}
      tabIndex={0}
      style={{ cursor: onSelect ? 'pointer' : 'default' }}
      onClick={() => onSelect?.(stage.name)}
      onKeyDown={e => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onSelect?.(stage.name);
        }
      }}
    >
      <rect
        width={NODE_W}
        height={NODE_H}
        rx={6}
        fill={color}
        fillOpacity={0.12}
        stroke={selected ? textColor : color}
        strokeWidth={selected ? 2.5 : 1.5}
        strokeDasharray={stage.owner ? undefined : '5 3'}
      />
      <rect width={6} height={NODE_H} rx={3} fill={color} />
      <text x={14} y={20} fontSize={13} fontWeight={600} fill={textColor}>
        {stage.name.length > 22 ? `${stage.name.slice(0, 21)}…` : stage.name}
      </text>
      <text x={14} y={37} fontSize={11} fill={textColor} opacity={0.7}>
        {stage.type}
      </text>
      <text
        x={14}
        y={54}
        fontSize={11}
        fontWeight={stage.owner ? 400 : 700}
        fill={stage.owner ? textColor : '#d32f2f'}
      >
        {stage.owner ? shortRef(stage.owner) : 'UNOWNED'}
      </text>
      {node.errors > 0 && (
        <g transform={`translate(${NODE_W - 14},14)`}>
          <circle r={9} fill="#d32f2f" />
          <text textAnchor="middle" y={4} fontSize={11} fill="#fff">
            {node.errors}
          </text>
        </g>
      )}
      {node.warnings > 0 && (
        <g transform={`translate(${NODE_W - (node.errors > 0 ? 36 : 14)},14)`}>
          <circle r={9} fill="#ed6c02" />
          <text textAnchor="middle" y={4} fontSize={11} fill="#fff">
            {node.warnings}
          </text>
        </g>
      )}
    </g>
  );
});

function ArrowMarker(props: { id: string; color: string }) {
  return (
    <marker
      id={props.id}
      viewBox="0 0 10 10"
      refX={10}
      refY={5}
      markerWidth={7}
      markerHeight={7}
      orient="auto-start-reverse"
    >
      <path d="M0,0 L10,5 L0,10 z" fill={props.color} />
    </marker>
  );
}

/** @public */
export interface OwnershipGraphProps {
  ownership: PipelineOwnership;
  selectedStage?: string;
  onSelectStage?: (stage: string) => void;
}

/**
 * The stages of a pipeline as a DAG, coloured by owning team. Handoffs
 * between teams are dashed amber edges; badges count errors and warnings.
 * Plain SVG with a linear-time layout, so 200 stages stay smooth.
 *
 * @public
 */
export function OwnershipGraph(props: OwnershipGraphProps) {
  const { ownership, selectedStage, onSelectStage } = props;
  const theme = useTheme();
  const textColor = theme.palette.text.primary;
  const graph = useGraphLayout(ownership);
  const owners = useMemo(
    () =>
      [...new Set(ownership.stages.map(s => s.owner))].sort((a, b) =>
        (a ?? '~').localeCompare(b ?? '~'),
      ),
    [ownership],
  );

  return (
    <Box>
      <Box
        sx={{ overflow: 'auto', maxHeight: 640 }}
        data-testid="ownership-graph"
      >
        <svg
          width={graph.width}
          height={graph.height}
          viewBox={`0 0 ${graph.width} ${graph.height}`}
          role="img"
          aria-label={`Ownership graph of ${ownership.pipeline}`}
        >
          <defs>
            <ArrowMarker id="ai-arrow" color="#9e9e9e" />
            <ArrowMarker id="ai-arrow-handoff" color={HANDOFF_COLOR} />
          </defs>
          {graph.edges.map(e => (
            <g
              key={`${e.from}->${e.to}`}
              data-testid={e.handoff ? 'handoff-edge' : 'edge'}
            >
              <path
                d={e.path}
                fill="none"
                stroke={e.handoff ? HANDOFF_COLOR : '#9e9e9e'}
                strokeWidth={e.handoff ? 2 : 1.5}
                strokeDasharray={e.handoff ? '6 4' : undefined}
                markerEnd={`url(#${
                  e.handoff ? 'ai-arrow-handoff' : 'ai-arrow'
                })`}
              />
              {e.handoff && <title>{`Handoff: ${e.from} → ${e.to}`}</title>}
            </g>
          ))}
          {graph.nodes.map(n => (
            <StageNode
              key={n.stage.name}
              node={n}
              selected={n.stage.name === selectedStage}
              textColor={textColor}
              onSelect={onSelectStage}
            />
          ))}
        </svg>
      </Box>
      <Stack direction="row" flexWrap="wrap" gap={2} sx={{ mt: 1 }}>
        {owners.map(owner => (
          <Stack
            key={owner ?? 'none'}
            direction="row"
            alignItems="center"
            gap={0.75}
          >
            <Box
              sx={{
                width: 12,
                height: 12,
                borderRadius: '3px',
                bgcolor: owner ? ownerColor(owner) : UNOWNED_COLOR,
              }}
            />
            <Typography variant="caption">
              {owner ? shortRef(owner) : 'unowned'}
            </Typography>
          </Stack>
        ))}
        <Stack direction="row" alignItems="center" gap={0.75}>
          <svg width={24} height={8} aria-hidden>
            <line
              x1={0}
              y1={4}
              x2={24}
              y2={4}
              stroke={HANDOFF_COLOR}
              strokeWidth={2}
              strokeDasharray="6 4"
            />
          </svg>
          <Typography variant="caption">handoff between teams</Typography>
        </Stack>
      </Stack>
    </Box>
  );
}
