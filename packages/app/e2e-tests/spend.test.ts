import { test, expect } from '@playwright/test';
import { signIn } from './signIn';

test('a manager sees per-team spend with shadow AI and drills from a team to its services and models', async ({
  page,
}) => {
  // The demo usage is replayed a few seconds after the backend starts.
  await expect(async () => {
    await signIn(page, '/ai-platform');
    await page.getByRole('tab', { name: 'Spend' }).click();
    await expect(
      page.getByRole('button', { name: 'Drill into ml-team' }),
    ).toBeVisible({ timeout: 30_000 });
  }).toPass({ timeout: 120_000 });

  // Shadow AI in plain sight: usage that maps to no catalog entity, named.
  await expect(page.getByText('Unattributed usage (shadow AI)')).toBeVisible();
  await expect(page.getByText('dave-personal-key')).toBeVisible();
  await expect(page.getByText('growth-experiments')).toBeVisible();
  // A self-hosted model nobody can price is listed, not counted as zero.
  await expect(page.getByText('llama-3.1-8b-instruct').first()).toBeVisible();

  // Drill down: the ML team → its services → the models it uses.
  await page.getByRole('button', { name: 'Drill into ml-team' }).click();
  const serviceDrill = page.getByRole('button', {
    name: /Drill into .*answer-generator/,
  });
  await expect(serviceDrill).toBeVisible();
  await serviceDrill.click();
  await expect(page.getByText('gpt-4o-mini').first()).toBeVisible();
  await expect(page.getByText('claude-sonnet-4').first()).toBeVisible();
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
