import { expect, Page } from '@playwright/test';

/** Opens `path`, signs in as the demo guest when asked, and waits for the sidebar. */
export async function signIn(page: Page, path = '/') {
  await page.goto(path);
  const enter = page.getByRole('button', { name: 'Enter' });
  if (await enter.isVisible({ timeout: 15_000 }).catch(() => false)) {
    await enter.click();
  }
  await expect(
    page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'AI Platform' }),
  ).toBeVisible();
}
