import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  TestApiProvider,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { AuditEventList } from '@aiplatform/plugin-ai-platform-common';
import { AiPlatformApi, aiPlatformApiRef } from '../../api/AiPlatformApi';
import {
  NOT_ENTITY_REFS,
  expectShownAsText,
  mockAiPlatformApi,
} from '../../testUtils';
import { AuditLog } from './AuditLog';

const mountedRoutes = { '/catalog/:namespace/:kind/:name': entityRouteRef };

const events: AuditEventList = {
  items: [
    {
      id: '2',
      at: '2025-03-02T09:30:00.000Z',
      type: 'pipeline.resumed',
      entityRef: 'aipipeline:default/support-rag',
      actor: 'user:default/jane',
      message: 'Index rebuilt',
    },
    {
      id: '1',
      at: '2025-03-01T10:00:00.000Z',
      type: 'pipeline.halted',
      entityRef: 'aipipeline:default/support-rag',
      actor: 'user:default/jane',
      message: 'Answers cite stale docs',
    },
    {
      id: '0',
      at: '2025-02-28T23:00:00.000Z',
      type: 'slo.breached',
      entityRef: 'aipipeline:finance/fraud-scoring',
      actor: 'ai-platform',
      message: 'SLO fraud-freshness breached',
    },
  ],
};

function renderLog(api: AiPlatformApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[aiPlatformApiRef, api]]}>
      <AuditLog />
    </TestApiProvider>,
    { mountedRoutes },
  );
}

function rowOf(text: string): HTMLElement {
  const row = screen.getByText(text).closest('tr');
  expect(row).not.toBeNull();
  return row as HTMLElement;
}

describe('AuditLog', () => {
  it('lists every event with time, type, entity link, actor and message', async () => {
    const api = mockAiPlatformApi({
      listAudit: jest.fn().mockResolvedValue(events),
    });
    renderLog(api);

    expect(await screen.findByText('Answers cite stale docs')).toBeVisible();
    expect(api.listAudit).toHaveBeenCalledTimes(1);

    const halted = rowOf('Answers cite stale docs');
    expect(within(halted).getByText('pipeline.halted')).toBeInTheDocument();
    expect(
      within(halted).getByRole('link', { name: 'support-rag' }),
    ).toHaveAttribute('href', '/catalog/default/aipipeline/support-rag');
    expect(within(halted).getByRole('link', { name: 'jane' })).toHaveAttribute(
      'href',
      '/catalog/default/user/jane',
    );
    expect(halted.querySelector('time')).toHaveAttribute(
      'dateTime',
      '2025-03-01T10:00:00.000Z',
    );

    const breach = rowOf('SLO fraud-freshness breached');
    expect(within(breach).getByText('slo.breached')).toBeInTheDocument();
    expect(
      within(breach).getByRole('link', { name: 'finance/fraud-scoring' }),
    ).toHaveAttribute('href', '/catalog/finance/aipipeline/fraud-scoring');
    // The backend's own subject is not an entity: text, not a link.
    expectShownAsText(breach, 'ai-platform');
    expect(within(breach).getAllByRole('link')).toHaveLength(1);

    // Newest first.
    const times = screen
      .getAllByRole('row')
      .map(r => r.querySelector('time')?.getAttribute('dateTime'))
      .filter(Boolean);
    expect(times).toEqual([
      '2025-03-02T09:30:00.000Z',
      '2025-03-01T10:00:00.000Z',
      '2025-02-28T23:00:00.000Z',
    ]);
  });

  it('filters the events by the text in the filter box', async () => {
    const api = mockAiPlatformApi({
      listAudit: jest.fn().mockResolvedValue(events),
    });
    renderLog(api);
    await screen.findByText('Answers cite stale docs');

    await userEvent.type(
      screen.getByRole('searchbox', { name: 'Filter Audit log' }),
      'fraud',
    );
    expect(screen.getByText('SLO fraud-freshness breached')).toBeVisible();
    expect(
      screen.queryByText('Answers cite stale docs'),
    ).not.toBeInTheDocument();
    expect(screen.queryByText('Index rebuilt')).not.toBeInTheDocument();
  });

  it('shows the empty state when there are no events', async () => {
    const api = mockAiPlatformApi({
      listAudit: jest.fn().mockResolvedValue({ items: [] }),
    });
    renderLog(api);
    expect(
      await screen.findByText(/No governance events yet/),
    ).toBeInTheDocument();
  });

  it('shows the error when the events cannot be fetched', async () => {
    const api = mockAiPlatformApi({
      listAudit: jest.fn().mockRejectedValue(new Error('audit store down')),
    });
    renderLog(api);
    expect(
      (await screen.findAllByText(/audit store down/)).length,
    ).toBeGreaterThan(0);
    expect(screen.queryByText('Audit log')).not.toBeInTheDocument();
  });

  it.each(NOT_ENTITY_REFS)(
    'shows an actor and an entity %p as text, not a link',
    async value => {
      const api = mockAiPlatformApi({
        listAudit: jest.fn().mockResolvedValue({
          items: [
            {
              id: '9',
              at: '2025-03-01T10:00:00.000Z',
              type: 'budget.exceeded',
              entityRef: value,
              actor: value,
              message: 'Over budget',
            },
          ],
        }),
      });
      renderLog(api);
      await screen.findByText('Over budget');
      const row = rowOf('Over budget');
      const texts = within(row).getAllByTestId('entity-ref-text');
      expect(texts).toHaveLength(2);
      expectShownAsText(texts[0].closest('td')!, value);
      expectShownAsText(texts[1].closest('td')!, value);
      expect(within(row).queryByRole('link')).not.toBeInTheDocument();
    },
  );

  it('links a user actor, and shows a service subject that looks like a ref as text', async () => {
    const api = mockAiPlatformApi({
      listAudit: jest.fn().mockResolvedValue({
        items: [
          {
            id: '1',
            at: '2025-03-01T10:00:00.000Z',
            type: 'pipeline.halted',
            entityRef: 'aipipeline:default/kb-answers',
            actor: 'plugin:catalog',
            message: 'Halted by a plugin',
          },
        ],
      }),
    });
    renderLog(api);
    await screen.findByText('Halted by a plugin');
    const row = rowOf('Halted by a plugin');
    expectShownAsText(row, 'plugin:catalog');
    expect(within(row).getByRole('link', { name: 'kb-answers' })).toBeVisible();
  });
});
