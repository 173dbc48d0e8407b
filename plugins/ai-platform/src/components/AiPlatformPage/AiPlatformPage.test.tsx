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
});
