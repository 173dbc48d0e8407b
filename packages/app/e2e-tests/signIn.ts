import { expect, Page } from '@playwright/test';

/**
 * Opens `path`, signs in as the demo guest when asked, and waits for the
 * sidebar. It waits for whichever comes first, the sign-in page or the
 * signed-in app: `isVisible` does not wait, and a page whose requests are
 * routed (which turns off Chromium's HTTP cache) can take a while to load
 * the development bundle.
 */
export async function signIn(page: Page, path = '/') {
  await page.goto(path);
  const enter = page.getByRole('button', { name: 'Enter' });
  const aiPlatform = page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'AI Platform' });
  await expect(enter.or(aiPlatform).first()).toBeVisible({ timeout: 90_000 });
  if (await enter.isVisible()) {
    await enter.click();
  }
  await expect(aiPlatform).toBeVisible();
}
