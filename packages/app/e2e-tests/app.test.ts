import { test, expect } from '@playwright/test';
import { signIn } from './signIn';

test('the sidebar leads to the catalog and the AI Platform', async ({
  page,
}) => {
  await signIn(page);
  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await expect(
    nav.getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();
  await expect(nav.getByRole('link', { name: 'AI Platform' })).toBeVisible();
});

test('a developer opens a pipeline and sees its ownership graph, a finding and a consumer', async ({
  page,
}) => {
  await signIn(page);
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'AI Platform' })
    .click();
  await expect(page).toHaveURL(/\/ai-platform\/pipelines$/);

  const row = page.getByRole('row', { name: /Support answer generation/ });
  await expect(row).toBeVisible();
  await expect(row.getByText(/warnings?/)).toBeVisible();

  await row.getByRole('link', { name: 'Support answer generation' }).click();
  await page.getByRole('link', { name: 'Ownership', exact: true }).click();

  // The graph: every stage is a node, coloured by its owning team.
  const graph = page.getByTestId('ownership-graph');
  await expect(
    graph.getByRole('button', { name: 'stage embeddings' }),
  ).toBeVisible();
  await expect(
    graph.getByRole('button', { name: 'stage gateway' }),
  ).toBeAttached();
  await expect(graph.getByTestId('handoff-edge').first()).toBeAttached();

  // A finding with its message: the accountable team has nobody to page.
  await expect(
    page.getByTestId('finding-ownerless-team').first(),
  ).toBeVisible();
  await expect(
    page.getByText(/has no members: there is nobody to page/),
  ).toBeVisible();

  // The blast radius: the support portal depends on this pipeline.
  const consumers = page.getByTestId('consumers');
  await expect(
    consumers.getByRole('link', { name: /support-portal|Support portal/ }),
  ).toBeVisible();
  await expect(consumers.getByText(/owned by/).first()).toBeVisible();

  // Selecting a stage narrows the findings to it.
  await graph.getByRole('button', { name: 'stage embeddings' }).click();
  await expect(page.getByText('Findings: embeddings')).toBeVisible();
});

test('the ownership report filters by team, including sub-teams', async ({
  page,
}) => {
  await signIn(page, '/ai-platform');
  await page.getByRole('tab', { name: 'Ownership report' }).click();
  await expect(page).toHaveURL(/\/ai-platform\/ownership$/);
  await expect(
    page.getByRole('row', { name: /Fraud scoring|fraud-scoring/ }),
  ).toBeVisible();

  await page.getByLabel('Team (includes sub-teams)').click();
  await page.getByRole('option', { name: 'Customer Operations' }).click();
  await expect(
    page.getByText('Ownership gaps: Customer Operations'),
  ).toBeVisible();
  await expect(
    page.getByRole('row', { name: /Ticket triage agent|ticket-triage-agent/ }),
  ).toBeVisible();
  await expect(
    page.getByRole('row', { name: /Fraud scoring|fraud-scoring/ }),
  ).toHaveCount(0);
});

test('every tab of the AI Platform page is a URL, and /ai-platform opens the first', async ({
  page,
}) => {
  await signIn(page, '/ai-platform');
  await expect(page).toHaveURL(/\/ai-platform\/pipelines$/);
  const tabs = [
    [
      'pipelines',
      'Pipelines',
      page.getByRole('heading', { name: 'AI pipelines' }),
    ],
    [
      'ownership',
      'Ownership report',
      page.getByLabel('Team (includes sub-teams)'),
    ],
    ['audit', 'Audit', page.getByRole('heading', { name: 'Audit log' })],
    ['spend', 'Spend', page.getByText('Daily spend by model')],
  ] as const;
  for (const [path, name, shown] of tabs) {
    await test.step(`/ai-platform/${path}`, async () => {
      await page.goto(`/ai-platform/${path}`);
      await expect(shown).toBeVisible();
      const tab = page.getByRole('tab', { name, exact: true });
      await expect(tab).toHaveAttribute('aria-selected', 'true');
      await expect(tab).toHaveAttribute('href', `/ai-platform/${path}`);
    });
  }
  // Tabs are links: Back returns to the tab before.
  await page.getByRole('tab', { name: 'Audit', exact: true }).click();
  await expect(page).toHaveURL(/\/ai-platform\/audit$/);
  await page.goBack();
  await expect(page).toHaveURL(/\/ai-platform\/spend$/);
  await expect(page.getByText('Daily spend by model')).toBeVisible();
});

test('a group page lists the stages the group owns in any pipeline', async ({
  page,
}) => {
  await signIn(page, '/catalog/default/group/data-team');
  const card = page
    .getByText('AI pipeline stages')
    .locator('xpath=ancestor::*[contains(@class, "MuiCard-root")][1]');
  await expect(card).toBeVisible();
  await expect(
    card.getByRole('row', { name: /ticket-ingest/ }).first(),
  ).toBeVisible();
  await expect(
    card.getByRole('row', { name: /interaction-events/ }),
  ).toBeVisible();
});
