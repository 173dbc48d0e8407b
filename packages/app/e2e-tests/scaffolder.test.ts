import { expect, Page, test } from '@playwright/test';
import { signIn } from './signIn';

const BACKEND = 'http://localhost:7007';

/** Reads a catalog entity through the backend API as the demo guest. */
async function getEntity(page: Page, ref: string) {
  const session = await page.request.get(`${BACKEND}/api/auth/guest/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  const { token } = (await session.json()).backstageIdentity;
  return page.request.get(`${BACKEND}/api/catalog/entities/by-name/${ref}`, {
    headers: { authorization: `Bearer ${token}` },
  });
}

/** A name no earlier run has used: repositories persist on disk between runs. */
function uniqueName(prefix: string) {
  return `${prefix}-${Date.now().toString(36)}`;
}

/** Opens a template's form: it is listed on the Create page, then chosen. */
async function chooseTemplate(page: Page, title: string, name: string) {
  await signIn(page, '/create');
  await expect(page.getByText(title).first()).toBeVisible({ timeout: 60_000 });
  await page.goto(`/create/templates/default/${name}`);
  await expect(page.getByRole('heading', { name: title })).toBeVisible();
}

/** Picks an option of a picker: an autocomplete (typed into) or a select. */
async function pick(page: Page, label: string | RegExp, option: string | RegExp) {
  const box = page.getByLabel(label).first();
  await box.click();
  const isInput = await box.evaluate(el => el.tagName === 'INPUT');
  if (isInput && typeof option === 'string') await box.fill(option);
  await page.getByRole('option', { name: option }).first().click();
}

test('an engineer creates an LLM service from the template and finds it in the catalog, owned, with its gateway route', async ({
  page,
}) => {
  const name = uniqueName('e2e-llm');
  await chooseTemplate(page, 'LLM service behind the AI gateway', 'llm-service');

  await page.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
  await page
    .getByRole('textbox', { name: 'Description' })
    .fill('Created by the Playwright test');
  await pick(page, 'Owner', /ml-team|ML Team/);
  await page.getByRole('button', { name: 'Next' }).click();

  // The model picker offers only what ml-team may use.
  await pick(page, 'Models', 'gpt-4o-mini');
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();

  // The task runs its four steps and links to the new entity.
  const open = page.getByRole('link', { name: 'Open in catalog' });
  await expect(open).toBeVisible({ timeout: 90_000 });
  await open.click();

  // The catalog processes the new location asynchronously.
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole('heading', { name })).toBeVisible({
      timeout: 5_000,
    });
  }).toPass({ timeout: 90_000 });
  await expect(page.getByText('ml-team').first()).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/catalog/default/component/${name}`));

  // Its gateway annotations make its usage attributable to it.
  const response = await getEntity(page, `component/default/${name}`);
  expect(response.ok()).toBeTruthy();
  const entity = await response.json();
  expect(entity.spec.owner).toMatch(/ml-team/);
  expect(entity.metadata.annotations).toMatchObject({
    'ai-platform.io/gateway-route': name,
    'ai-platform.io/gateway-key-alias': `component:default/${name}`,
    'ai-platform.io/gateway-models': 'gpt-4o-mini',
  });
});

test('a GPU request over the team quota is refused in the UI with the quota, the current use and the request', async ({
  page,
}) => {
  const name = uniqueName('e2e-gpu');
  await chooseTemplate(page, 'Self-hosted model server on GPUs', 'model-server');

  await page.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
  await pick(page, 'Owner', /ml-team|ML Team/);
  await page.getByRole('button', { name: 'Next' }).click();

  // ml-team: quota 8; the demo catalog has 6 GPUs annotated (more after
  // other runs against the same portal).
  await pick(page, /GPU flavor/, /a100-80gb/);
  await page.getByRole('spinbutton', { name: /GPU count|Number of GPUs|GPUs/ }).fill('4');
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();

  await expect(
    page
      .getByText(
        /exceeds the quota of group:default\/ml-team: quota 8, current use \d+, request 4/,
      )
      .first(),
  ).toBeVisible({ timeout: 90_000 });
  // Nothing was registered.
  const response = await getEntity(page, `component/default/${name}`);
  expect(response.status()).toBe(404);
});
