import { APIRequestContext, Page, expect, test } from '@playwright/test';
import { signIn } from './signIn';

const BACKEND = process.env.PLAYWRIGHT_BACKEND_URL ?? 'http://localhost:7007';
const DASHBOARD = '/catalog/default/aipipeline/kb-answers/dashboard';

/**
 * Signs the page in as the demo's admin, Alice of the platform team: the
 * guest sign-in's token requests go to the portal's development-only
 * demo-admin provider (auth.providers.demo-admin) instead.
 */
async function signInAsAdmin(page: Page, path: string) {
  await page.route('**/api/auth/guest/refresh**', route =>
    route.continue({
      url: route
        .request()
        .url()
        .replace('/api/auth/guest/', '/api/auth/demo-admin/'),
    }),
  );
  await signIn(page, path);
}

/** Leaves kb-answers running whatever happened, for the tests after this one. */
async function resumeIfHalted(request: APIRequestContext) {
  const refresh = await request.get(`${BACKEND}/api/auth/demo-admin/refresh`);
  const token = (await refresh.json()).backstageIdentity.token;
  const headers = { authorization: `Bearer ${token}` };
  const state = await request.get(
    `${BACKEND}/api/ai-platform/pipelines/default/kb-answers/halt`,
    { headers },
  );
  if ((await state.json()).halted) {
    await request.post(
      `${BACKEND}/api/ai-platform/pipelines/default/kb-answers/resume`,
      { headers, data: { reason: 'e2e clean-up', override: true } },
    );
  }
}

test.afterEach(async ({ request }) => {
  await resumeIfHalted(request);
});

test('an admin halts kb-answers, sees where the halt was enforced and the notification, and resumes it', async ({
  page,
}) => {
  await signInAsAdmin(page, DASHBOARD);
  const reason = `e2e ${Date.now()}: answers cite stale articles`;

  const halt = page.getByRole('button', { name: 'Halt', exact: true });
  await expect(halt).toBeEnabled();
  await halt.click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Reason').fill(reason);
  await dialog.getByRole('button', { name: 'Halt', exact: true }).click();
  await expect(dialog).toBeHidden();

  // The demo's enforcer: a signed webhook to the demo receiver.
  await expect(page.getByTestId('halt-enforcement')).toContainText(
    /halted at webhook/i,
  );
  await expect(page.getByTestId('halt-details')).toContainText(reason);
  await expect(
    page.getByRole('button', { name: 'Resume', exact: true }),
  ).toBeVisible();

  // Alice is in the platform team, which owns the embedding-cache stage:
  // the halt reached her in the portal's Notifications page.
  await page.goto('/notifications');
  const notification = page
    .getByText('kb-answers was halted by user:default/alice')
    .first();
  await expect(notification).toBeVisible();
  await expect(page.getByText(`Reason: ${reason}`).first()).toBeVisible();

  await page.goto(DASHBOARD);
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  const resume = page.getByRole('dialog');
  await resume.getByLabel('Reason').fill('e2e: articles re-synced');
  await resume.getByRole('button', { name: 'Resume', exact: true }).click();
  await expect(resume).toBeHidden();
  await expect(
    page.getByRole('button', { name: 'Halt', exact: true }),
  ).toBeVisible();
  // The resume undid what the halt did.
  await expect(page.getByTestId('halt-enforcement')).toHaveText(
    /restored at webhook/i,
  );
});
