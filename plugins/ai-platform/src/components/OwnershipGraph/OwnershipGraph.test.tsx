import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  OwnershipEdge,
  OwnershipStage,
  PipelineOwnership,
} from '@aiplatform/plugin-ai-platform-common';
import { OwnershipGraph } from './OwnershipGraph';

function stage(name: string, owner: string | null): OwnershipStage {
  return {
    name,
    type: 'other',
    owner,
    ownerSource: owner ? 'inline' : null,
    entityRef: null,
  };
}

const ownership: PipelineOwnership = {
  pipeline: 'aipipeline:default/support-rag',
  owner: 'group:default/ml-team',
  stages: [
    { ...stage('ingest', 'group:default/data-team'), type: 'data-ingestion' },
    { ...stage('embed', 'group:default/ml-team'), type: 'embedding' },
    { ...stage('index', 'group:default/ml-team'), type: 'vector-index' },
    { ...stage('serve', null), type: 'serving' },
  ],
  edges: [
    { from: 'ingest', to: 'embed' }, // data-team -> ml-team: handoff
    { from: 'embed', to: 'index' }, // ml-team -> ml-team: no handoff
    { from: 'index', to: 'serve' }, // ml-team -> unowned: no handoff
  ],
  findings: [
    {
      code: 'unowned-stage',
      severity: 'error',
      stage: 'serve',
      message: 'Stage "serve" has no owner.',
    },
    {
      code: 'unknown-owner',
      severity: 'error',
      stage: 'serve',
      message: 'Another error on serve.',
    },
    {
      code: 'unmonitored-stage',
      severity: 'warning',
      stage: 'embed',
      message: 'Stage "embed" reports no freshness.',
    },
    {
      code: 'cross-team-handoff',
      severity: 'info',
      stage: 'embed',
      message: 'Handoff ingest -> embed.',
    },
    {
      code: 'no-e2e-slo',
      severity: 'warning',
      message: 'The pipeline has no end-to-end SLO.',
    },
  ],
  consumers: [],
};

describe('OwnershipGraph', () => {
  it('renders one node per stage with owner, and UNOWNED for a stage without owner', async () => {
    renderInTestApp(<OwnershipGraph ownership={ownership} />);

    const nodes = screen.getAllByRole('button', { name: /^stage / });
    expect(nodes).toHaveLength(4);
    for (const name of ['ingest', 'embed', 'index', 'serve']) {
      expect(
        screen.getByRole('button', { name: `stage ${name}` }),
      ).toBeInTheDocument();
    }
    const ingest = screen.getByRole('button', { name: 'stage ingest' });
    expect(within(ingest).getByText('data-team')).toBeInTheDocument();
    expect(within(ingest).getByText('data-ingestion')).toBeInTheDocument();

    const serve = screen.getByRole('button', { name: 'stage serve' });
    expect(within(serve).getByText('UNOWNED')).toBeInTheDocument();
    expect(screen.getAllByText('UNOWNED')).toHaveLength(1);
  });

  it('marks handoff edges only where the owners of the two stages differ', async () => {
    renderInTestApp(<OwnershipGraph ownership={ownership} />);

    const handoffs = screen.getAllByTestId('handoff-edge');
    expect(handoffs).toHaveLength(1);
    expect(handoffs[0]).toHaveTextContent('Handoff: ingest → embed');
    expect(screen.getAllByTestId('edge')).toHaveLength(2);
  });

  it('shows error and warning count badges per stage', async () => {
    renderInTestApp(<OwnershipGraph ownership={ownership} />);

    // serve: 2 errors, no warnings
    const serve = screen.getByRole('button', { name: 'stage serve' });
    expect(within(serve).getByText('2')).toBeInTheDocument();
    expect(serve.querySelectorAll('circle')).toHaveLength(1);
    expect(serve.querySelector('circle')).toHaveAttribute('fill', '#d32f2f');

    // embed: 1 warning (the info finding is not counted)
    const embed = screen.getByRole('button', { name: 'stage embed' });
    expect(within(embed).getByText('1')).toBeInTheDocument();
    expect(embed.querySelectorAll('circle')).toHaveLength(1);
    expect(embed.querySelector('circle')).toHaveAttribute('fill', '#ed6c02');

    // no findings: no badge
    const index = screen.getByRole('button', { name: 'stage index' });
    expect(index.querySelectorAll('circle')).toHaveLength(0);
  });

  it('shows a legend entry per owner, including unowned', async () => {
    renderInTestApp(<OwnershipGraph ownership={ownership} />);

    const graph = screen.getByRole('img', {
      name: 'Ownership graph of aipipeline:default/support-rag',
    });
    // Legend entries live outside the SVG.
    const legendText = (text: string) =>
      screen.getAllByText(text).filter(el => !graph.contains(el));
    expect(legendText('data-team')).toHaveLength(1);
    expect(legendText('ml-team')).toHaveLength(1);
    expect(legendText('unowned')).toHaveLength(1);
    expect(screen.getByText('handoff between teams')).toBeInTheDocument();
  });

  it('calls onSelectStage with the stage name on click and on Enter', async () => {
    const onSelectStage = jest.fn();
    renderInTestApp(
      <OwnershipGraph
        ownership={ownership}
        selectedStage="embed"
        onSelectStage={onSelectStage}
      />,
    );

    expect(screen.getByRole('button', { name: 'stage embed' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    expect(screen.getByRole('button', { name: 'stage index' })).toHaveAttribute(
      'aria-pressed',
      'false',
    );

    await userEvent.click(screen.getByRole('button', { name: 'stage index' }));
    expect(onSelectStage).toHaveBeenLastCalledWith('index');

    screen.getByRole('button', { name: 'stage serve' }).focus();
    await userEvent.keyboard('{Enter}');
    expect(onSelectStage).toHaveBeenLastCalledWith('serve');
    expect(onSelectStage).toHaveBeenCalledTimes(2);
  });

  it('renders a 200-stage pipeline with every node and edge', async () => {
    const owners = [
      'group:default/team-a',
      'group:default/team-b',
      'group:default/team-c',
      null,
    ];
    const stages: OwnershipStage[] = [];
    const edges: OwnershipEdge[] = [];
    for (let i = 0; i < 200; i++) {
      stages.push(
        stage(`stage-${i}`, owners[Math.floor(i / 10) % owners.length]),
      );
      // A layered DAG: each stage depends on the previous one, and every
      // stage from the 5th on also depends on the one five places back.
      if (i >= 1) edges.push({ from: `stage-${i - 1}`, to: `stage-${i}` });
      if (i >= 5) edges.push({ from: `stage-${i - 5}`, to: `stage-${i}` });
    }
    const ownerOf = new Map(stages.map(s => [s.name, s.owner]));
    const expectedHandoffs = edges.filter(e => {
      const a = ownerOf.get(e.from);
      const b = ownerOf.get(e.to);
      return !!a && !!b && a !== b;
    }).length;
    expect(edges).toHaveLength(199 + 195);
    expect(expectedHandoffs).toBeGreaterThan(0);

    renderInTestApp(
      <OwnershipGraph
        ownership={{
          pipeline: 'aipipeline:default/big',
          owner: 'group:default/team-a',
          stages,
          edges,
          findings: [],
          consumers: [],
        }}
      />,
    );

    expect(screen.getAllByRole('button', { name: /^stage / })).toHaveLength(
      200,
    );
    expect(
      screen.getByRole('button', { name: 'stage stage-199' }),
    ).toBeInTheDocument();
    const handoffs = screen.getAllByTestId('handoff-edge');
    const plain = screen.getAllByTestId('edge');
    expect(handoffs).toHaveLength(expectedHandoffs);
    expect(handoffs.length + plain.length).toBe(edges.length);
  }, 15_000); // a correctness test: the timeout only guards slow CI machines
});
