import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { aiPlatformApiRef } from '../../api/AiPlatformApi';
import { AiPlatformPage } from '../../plugin';
import {
  legacyTestAppOptions,
  mockAiPlatformApi,
  pageApiMethods,
} from '../../testUtils';
import { AI_PLATFORM_SUB_PAGES } from './subPages';

const ML_TEAM = 'group:default/ml-team';

function mockApi() {
  return mockAiPlatformApi({
    listPipelines: jest.fn().mockResolvedValue({
      items: [
        {
          pipeline: 'aipipeline:default/support-rag',
          title: 'Support RAG',
          type: 'rag',
          lifecycle: 'production',
          owner: 'group:default/ml-team',
          stageCount: 4,
          findings: { error: 0, warning: 0, info: 0 },
          health: 'healthy',
        },
      ],
    }),
    getOwnershipReport: jest.fn().mockResolvedValue({ items: [] }),
    ...pageApiMethods(),
  });
}

/** Where the router is, and a way back, as a legacy app's own UI would have. */
function LocationProbe() {
  const { pathname, search } = useLocation();
  const navigate = useNavigate();
  return (
    <>
      <output aria-label="location">{`${pathname}${search}`}</output>
      <button type="button" onClick={() => navigate(-1)}>
        history back
      </button>
    </>
  );
}

const location = () => screen.getByRole('status', { name: 'location' });

/**
 * The legacy `AiPlatformPage` route element, where a legacy app's
 * `FlatRoutes` mounts it, at `url`.
 */
async function renderLegacyPage(url: string, api = mockApi()) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [aiPlatformApiRef, api],
        [catalogApiRef, catalogApiMock()],
      ]}
    >
      <Routes>
        <Route path="/ai-platform/*" element={<AiPlatformPage />} />
      </Routes>
      <LocationProbe />
    </TestApiProvider>,
    {
      ...legacyTestAppOptions([url]),
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
  return api;
}

/** What each sub-page shows first, once its data is in. */
const SHOWN: Record<string, () => Promise<unknown>> = {
  pipelines: () => screen.findByText('Support RAG'),
  ownership: () => screen.findByLabelText('Team (includes sub-teams)'),
  audit: () => screen.findByText('Answers cite stale docs'),
  spend: () => screen.findByRole('table', { name: 'Teams ranked by cost' }),
};

describe('AiPlatformPage (legacy frontend system)', () => {
  it('redirects /ai-platform to its first sub-page, with a tab link per sub-page', async () => {
    const api = await renderLegacyPage('/ai-platform?range=30d');

    expect(await SHOWN.pipelines()).toBeInTheDocument();
    expect(location()).toHaveTextContent(
      /^\/ai-platform\/pipelines\?range=30d$/,
    );
    const tabs = within(
      screen.getByRole('navigation', { name: 'AI Platform' }),
    ).getAllByRole('tab');
    expect(
      tabs.map(tab => [tab.textContent, tab.getAttribute('href')]),
    ).toEqual([
      ['Pipelines', '/ai-platform/pipelines'],
      ['Ownership report', '/ai-platform/ownership'],
      ['Audit', '/ai-platform/audit'],
      ['Spend', '/ai-platform/spend'],
    ]);
    expect(api.listAudit).not.toHaveBeenCalled();
    expect(api.getSpend).not.toHaveBeenCalled();
  }, 20_000);

  it.each(AI_PLATFORM_SUB_PAGES.map(page => [page.path, page.title]))(
    'serves /ai-platform/%s with its tab selected',
    async (path, title) => {
      await renderLegacyPage(`/ai-platform/${path}`);
      expect(await SHOWN[path]()).toBeInTheDocument();
      expect(location()).toHaveTextContent(
        new RegExp(`^/ai-platform/${path}$`),
      );
      expect(screen.getByRole('tab', { selected: true })).toHaveTextContent(
        title,
      );
    },
    20_000,
  );

  it('moves between sub-pages by their tabs, and back', async () => {
    const api = await renderLegacyPage('/ai-platform/pipelines');
    await SHOWN.pipelines();

    await userEvent.click(screen.getByRole('tab', { name: 'Audit' }));
    expect(await SHOWN.audit()).toBeInTheDocument();
    expect(location()).toHaveTextContent(/^\/ai-platform\/audit$/);
    expect(api.listAudit).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('link', { name: 'support-rag' })).toHaveAttribute(
      'href',
      '/catalog/default/aipipeline/support-rag',
    );

    await userEvent.click(screen.getByRole('button', { name: 'history back' }));
    expect(await SHOWN.pipelines()).toBeInTheDocument();
    expect(location()).toHaveTextContent(/^\/ai-platform\/pipelines$/);
  }, 20_000);

  it('opens a shared spend link with its range and team, and walks back through drill-downs and range changes', async () => {
    const api = await renderLegacyPage(
      `/ai-platform/spend?range=90d&team=${ML_TEAM}`,
    );

    expect(
      await screen.findByRole('heading', { name: 'Team ml-team' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'last 90 days' }),
    ).toHaveAttribute('aria-pressed', 'true');
    expect(api.getSpend).toHaveBeenCalledWith(
      expect.objectContaining({ groupBy: 'service', team: ML_TEAM }),
    );

    // Up to all teams, then a range change: each is a history entry.
    await userEvent.click(
      within(
        screen.getByRole('navigation', { name: 'spend drill-down' }),
      ).getByRole('button', { name: 'All teams' }),
    );
    expect(location()).toHaveTextContent(/^\/ai-platform\/spend\?range=90d$/);
    await userEvent.click(screen.getByRole('button', { name: 'last 30 days' }));
    expect(location()).toHaveTextContent(/^\/ai-platform\/spend\?range=30d$/);

    const back = () =>
      act(() => screen.getByRole('button', { name: 'history back' }).click());
    back();
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'last 90 days' }),
      ).toHaveAttribute('aria-pressed', 'true'),
    );
    back();
    expect(
      await screen.findByRole('heading', { name: 'Team ml-team' }),
    ).toBeInTheDocument();
    expect(location()).toHaveTextContent(
      `/ai-platform/spend?range=90d&team=${ML_TEAM}`,
    );
  }, 20_000);
});
