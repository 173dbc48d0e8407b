import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  HaltState,
  PipelineHealth,
} from '@aiplatform/plugin-ai-platform-common';
import { HealthBanner } from './HealthBanner';

const mountedRoutes = { '/catalog/:namespace/:kind/:name': entityRouteRef };

const running: HaltState = { halted: false, reason: null, by: null, at: null };

describe('HealthBanner', () => {
  it.each<[PipelineHealth, string, string]>([
    ['failing', 'error', 'Failing'],
    ['halted', 'error', 'Halted'],
    ['degraded', 'warning', 'Degraded'],
    ['healthy', 'success', 'Healthy'],
    ['unknown', 'info', 'No data'],
  ])(
    'shows a %s pipeline as an %s alert with its explanation',
    async (health, severity, title) => {
      renderInTestApp(
        <HealthBanner
          health={health}
          explanation={`Explanation of ${health}.`}
          suspect={null}
          halt={running}
        />,
      );
      const banner = screen.getByTestId('health-banner');
      expect(banner).toHaveClass(
        `v5-MuiAlert-standard${severity[0].toUpperCase()}${severity.slice(1)}`,
      );
      expect(banner).toHaveAccessibleName(
        `pipeline health: ${title.toLowerCase()}`,
      );
      expect(within(banner).getByText(title)).toBeInTheDocument();
      expect(
        within(banner).getByText(`Explanation of ${health}.`),
      ).toBeInTheDocument();
      expect(within(banner).queryByTestId('suspect')).not.toBeInTheDocument();
      expect(
        within(banner).queryByTestId('halt-details'),
      ).not.toBeInTheDocument();
    },
  );

  it('emphasises the suspect stage and the reason', async () => {
    renderInTestApp(
      <HealthBanner
        health="failing"
        explanation="Freshness SLO of embed is breached."
        suspect={{
          stage: 'embed',
          signal: 'freshness',
          reason: 'freshness lag grew from 0.5 h to 12 h',
        }}
        halt={running}
      />,
    );
    const suspect = screen.getByTestId('suspect');
    expect(suspect).toHaveTextContent(
      'Suspect: stage embed (Freshness lag) — freshness lag grew from 0.5 h to 12 h',
    );
    expect(within(suspect).getByText('embed').tagName).toBe('STRONG');
    expect(
      within(suspect).getByText('freshness lag grew from 0.5 h to 12 h')
        .tagName,
    ).toBe('STRONG');
  });

  it('says who halted the pipeline, when and why', async () => {
    renderInTestApp(
      <HealthBanner
        health="halted"
        explanation="Halted by an operator."
        suspect={null}
        halt={{
          halted: true,
          reason: 'hallucinations',
          by: 'user:default/jane',
          at: '2025-03-01T10:00:00.000Z',
        }}
      />,
      { mountedRoutes },
    );
    const banner = screen.getByTestId('health-banner');
    const details = within(banner).getByTestId('halt-details');
    expect(details).toHaveTextContent(/Halted by jane on .+hallucinations/);
    expect(within(details).getByRole('link', { name: 'jane' })).toBeVisible();
    expect(details.querySelector('time')).toHaveAttribute(
      'dateTime',
      '2025-03-01T10:00:00.000Z',
    );
  });

  it('links the runbook it is given, in a new tab', async () => {
    renderInTestApp(
      <HealthBanner
        health="failing"
        explanation="Accuracy SLO is breached."
        suspect={null}
        halt={running}
        runbook="https://runbooks.example.com/kb-answers"
      />,
    );
    const link = within(screen.getByTestId('runbook')).getByRole('link', {
      name: /^Runbook/,
    });
    expect(link).toHaveAttribute(
      'href',
      'https://runbooks.example.com/kb-answers',
    );
    expect(link).toHaveAttribute('target', '_blank');
    expect(link).toHaveAttribute('rel', 'noopener noreferrer');
  });

  it('links no runbook without one', async () => {
    renderInTestApp(
      <HealthBanner
        health="failing"
        explanation="Accuracy SLO is breached."
        suspect={null}
        halt={running}
      />,
    );
    expect(screen.queryByTestId('runbook')).not.toBeInTheDocument();
    expect(screen.queryByRole('link')).not.toBeInTheDocument();
  });

  it.each([
    // A script URL handed in to check that it is never linked.
    // eslint-disable-next-line no-script-url
    'javascript:alert(1)',
    ' JavaScript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'ftp://files.example.com/runbook.txt',
    '/docs/default/component/kb-answers',
    'runbooks.example.com/kb-answers',
    '',
  ])('renders no link for the runbook %p', async runbook => {
    const { container } = renderInTestApp(
      <HealthBanner
        health="failing"
        explanation="Accuracy SLO is breached."
        suspect={null}
        halt={running}
        runbook={runbook}
      />,
    );
    expect(screen.getByTestId('health-banner')).toBeInTheDocument();
    expect(screen.queryByTestId('runbook')).not.toBeInTheDocument();
    expect(container.querySelector('a')).toBeNull();
  });
});
