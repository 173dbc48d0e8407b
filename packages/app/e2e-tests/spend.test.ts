import { test, expect, Page } from '@playwright/test';
import { signIn } from './signIn';

/** Opens the Spend tab, by its tab, once the demo usage is in. */
async function openSpend(page: Page) {
  await expect(async () => {
    await signIn(page, '/ai-platform');
    await page.getByRole('tab', { name: 'Spend' }).click();
    await expect(page).toHaveURL(/\/ai-platform\/spend$/);
    await expect(
      page.getByRole('button', { name: 'Drill into ml-team' }),
    ).toBeVisible({ timeout: 30_000 });
  }).toPass({ timeout: 120_000 });
}

/** The labels of the spend drill-down's breadcrumb. */
function crumbs(page: Page) {
  return page
    .getByRole('navigation', { name: 'spend drill-down' })
    .getByRole('listitem');
}

test('a manager sees per-team spend with shadow AI and drills from a team to its services and models', async ({
  page,
}) => {
  // The demo usage is replayed a few seconds after the backend starts.
  await openSpend(page);

  // Shadow AI in plain sight: usage that maps to no catalog entity, named.
  await expect(page.getByText('Unattributed usage (shadow AI)')).toBeVisible();
  await expect(page.getByText('dave-personal-key')).toBeVisible();
  await expect(page.getByText('growth-experiments')).toBeVisible();
  // A self-hosted model nobody can price is listed, not counted as zero.
  await expect(page.getByText('llama-3.1-8b-instruct').first()).toBeVisible();

  // Drill down: the ML team → its services → the models it uses.
  await page.getByRole('button', { name: 'Drill into ml-team' }).click();
  await expect(page).toHaveURL(
    /\/ai-platform\/spend\?team=group:default\/ml-team$/,
  );
  const serviceDrill = page.getByRole('button', {
    name: /Drill into .*answer-generator/,
  });
  await expect(serviceDrill).toBeVisible();
  await serviceDrill.click();
  await expect(page.getByText('gpt-4o-mini').first()).toBeVisible();
  await expect(page.getByText('claude-sonnet-4').first()).toBeVisible();
});

test('a shared Spend drill-down link opens the same team, service and range in a new page, and Back walks back through the drill-down', async ({
  page,
  context,
}) => {
  await openSpend(page);

  // A manager picks 90 days and drills into the ML team and one of its services.
  await page.getByRole('button', { name: 'last 90 days' }).click();
  await expect(page).toHaveURL(/\/ai-platform\/spend\?range=90d$/);
  await page.getByRole('button', { name: 'Drill into ml-team' }).click();
  await page
    .getByRole('button', { name: /Drill into .*answer-generator/ })
    .click();
  await expect(
    page.getByRole('heading', { name: /^Service .*answer-generator/ }),
  ).toBeVisible();
  const link = page.url();
  expect(new URL(link).pathname).toBe('/ai-platform/spend');
  const query = new URL(link).searchParams;
  expect(query.get('range')).toBe('90d');
  expect(query.get('team')).toBe('group:default/ml-team');
  expect(query.get('service')).toMatch(/answer-generator$/);

  // The link, opened in a new page, shows the same range, team and service.
  const shared = await context.newPage();
  await signIn(shared, link);
  await expect(shared).toHaveURL(link);
  await expect(
    shared.getByRole('heading', { name: /^Service .*answer-generator/ }),
  ).toBeVisible();
  await expect(
    shared.getByRole('button', { name: 'last 90 days' }),
  ).toHaveAttribute('aria-pressed', 'true');
  await expect(crumbs(shared)).toHaveText([
    'All teams',
    'ml-team',
    /answer-generator/,
  ]);
  await expect(
    shared.getByRole('region', { name: 'Models of ml-team' }),
  ).toBeVisible();
  await expect(shared.getByText('ml-team and its sub-teams')).toBeVisible();
  await shared.close();

  // Back, in the first page: the team, all teams over 90 days, this month.
  await page.goBack();
  await expect(
    page.getByRole('heading', { name: 'Team ml-team' }),
  ).toBeVisible();
  await expect(page).toHaveURL(
    /\/ai-platform\/spend\?range=90d&team=group:default\/ml-team$/,
  );
  await page.goBack();
  await expect(page.getByRole('heading', { name: 'All teams' })).toBeVisible();
  await expect(
    page.getByRole('button', { name: 'last 90 days' }),
  ).toHaveAttribute('aria-pressed', 'true');
  await page.goBack();
  await expect(page).toHaveURL(/\/ai-platform\/spend$/);
  await expect(
    page.getByRole('button', { name: 'this month (UTC)' }),
  ).toHaveAttribute('aria-pressed', 'true');
});

test('a Spend link with an invalid range and team shows this month and all teams', async ({
  page,
}) => {
  await openSpend(page);
  await signIn(page, '/ai-platform/spend?range=7d&team=not-a-group');
  await expect(page.getByRole('heading', { name: 'All teams' })).toBeVisible();
  await expect(
    page.getByRole('button', { name: 'this month (UTC)' }),
  ).toHaveAttribute('aria-pressed', 'true');
  await expect(page).toHaveURL(/\/ai-platform\/spend$/);
  await expect(
    page.getByRole('button', { name: 'Drill into ml-team' }),
  ).toBeVisible();
});

test('a group page shows month-to-date spend against budget with the forecast', async ({
  page,
}) => {
  await expect(async () => {
    await signIn(page, '/catalog/default/group/support-eng');
    await expect(page.getByText('Forecast over budget')).toBeVisible({
      timeout: 10_000,
    });
  }).toPass({ timeout: 120_000 });
  await expect(page.getByText('Month to date')).toBeVisible();
  await expect(page.getByText('$250.00')).toBeVisible();
});
