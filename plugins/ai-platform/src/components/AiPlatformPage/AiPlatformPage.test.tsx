import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { aiPlatformApiRef } from '../../api/AiPlatformApi';
import { mockAiPlatformApi } from '../../testUtils';
import { AiPlatformContent } from './AiPlatformPage';

const mountedRoutes = { '/catalog/:namespace/:kind/:name': entityRouteRef };

describe('AiPlatformContent', () => {
  it('lists the audit events on the Audit tab', async () => {
    const api = mockAiPlatformApi({
      listPipelines: jest.fn().mockResolvedValue({ items: [] }),
      listAudit: jest.fn().mockResolvedValue({
        items: [
          {
            id: '1',
            at: '2025-03-01T10:00:00.000Z',
            type: 'pipeline.halted',
            entityRef: 'aipipeline:default/support-rag',
            actor: 'user:default/jane',
            message: 'Answers cite stale docs',
          },
        ],
      }),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[aiPlatformApiRef, api]]}>
        <AiPlatformContent />
      </TestApiProvider>,
      { mountedRoutes },
    );

    expect(
      await screen.findByText('No AIPipeline entities in the catalog yet.'),
    ).toBeInTheDocument();
    expect(api.listAudit).not.toHaveBeenCalled();

    await userEvent.click(screen.getByRole('tab', { name: 'Audit' }));
    expect(
      await screen.findByText('Answers cite stale docs'),
    ).toBeInTheDocument();
    expect(api.listAudit).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('tab', { name: 'Audit' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    expect(screen.getByText('pipeline.halted')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'support-rag' })).toHaveAttribute(
      'href',
      '/catalog/default/aipipeline/support-rag',
    );
  });

  it('shows AI spend on the Spend tab', async () => {
    const api = mockAiPlatformApi({
      listPipelines: jest.fn().mockResolvedValue({ items: [] }),
      getSpend: jest.fn().mockResolvedValue({
        currency: 'USD',
        total: 12,
        items: [
          {
            key: 'group:default/ml-team',
            costUsd: 12,
            inputTokens: 10,
            outputTokens: 5,
            requests: 3,
          },
        ],
        unattributed: { costUsd: 0, requests: 0, items: [] },
      }),
      getDailySpend: jest
        .fn()
        .mockResolvedValue({ currency: 'USD', groupBy: 'model', items: [] }),
      getUnpricedModels: jest.fn().mockResolvedValue({ items: [] }),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[aiPlatformApiRef, api]]}>
        <AiPlatformContent />
      </TestApiProvider>,
      { mountedRoutes },
    );
    expect(api.getSpend).not.toHaveBeenCalled();

    await userEvent.click(screen.getByRole('tab', { name: 'Spend' }));
    expect(
      await screen.findByRole('table', { name: 'Teams ranked by cost' }),
    ).toHaveTextContent('ml-team');
    expect(api.getSpend).toHaveBeenCalledTimes(1);
    expect(
      screen.getByText(
        'All usage in this range is attributed to a catalog entity or team.',
      ),
    ).toBeInTheDocument();
  });
});
