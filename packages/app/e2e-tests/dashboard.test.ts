import { test, expect } from '@playwright/test';
import { signIn } from './signIn';

test('the incident pipeline is failing on the AI Platform page and its dashboard explains why', async ({
  page,
}) => {
  // The demo history is replayed a few seconds after the backend starts.
  await expect(async () => {
    await signIn(page, '/ai-platform');
    const row = page.getByRole('row', { name: /Knowledge-base answers/ });
    await expect(row.getByText('failing')).toBeVisible({ timeout: 10_000 });
  }).toPass({ timeout: 120_000 });

  await page
    .getByRole('row', { name: /Knowledge-base answers/ })
    .getByRole('link', { name: 'Knowledge-base answers' })
    .click();
  await page.getByRole('link', { name: 'Dashboard', exact: true }).click();

  // The health banner: the end-to-end SLO is breached, pointing at freshness upstream.
  const banner = page.getByRole('alert').filter({ hasText: 'answer-accuracy' });
  await expect(banner).toBeVisible();
  await expect(banner).toContainText(/breached/i);
  await expect(banner).toContainText('kb-sync');
  await expect(banner).toContainText(/freshness lag grew/);

  // The SLO table: end-to-end accuracy breached, every stage SLO ok.
  const accuracyRow = page.getByRole('row', { name: /answer-accuracy/ });
  await expect(accuracyRow.getByText('breached')).toBeVisible();
  for (const name of [
    'kb-sync-availability',
    'cache-availability',
    'retrieval-latency',
  ]) {
    await expect(
      page
        .getByRole('row', { name: new RegExp(name) })
        .getByText('ok', { exact: true }),
    ).toBeVisible();
  }

  // The charts share one time axis, with the SLO threshold drawn.
  await expect(page.getByText('Freshness lag (h)')).toBeVisible();
  await expect(page.getByText('Accuracy (%)')).toBeVisible();

  // The demo guest is not in an admin group: halting is disabled, with the reason.
  const halt = page.getByRole('button', { name: /halt/i });
  await expect(halt).toBeDisabled();
  await halt.locator('xpath=..').hover();
  await expect(
    page.getByText(/ai-platform\.pipeline\.halt permission/),
  ).toBeVisible();
});
