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
async function pick(
  page: Page,
  label: string | RegExp,
  option: string | RegExp,
) {
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
  await chooseTemplate(
    page,
    'LLM service behind the AI gateway',
    'llm-service',
  );

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
  // The owner link on the About card shows the group's title.
  await expect(
    page.getByRole('link', { name: /^(ML Team|ml-team)$/ }).first(),
  ).toBeVisible();
  await expect(page).toHaveURL(
    new RegExp(`/catalog/default/component/${name}`),
  );

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
  await chooseTemplate(
    page,
    'Self-hosted model server on GPUs',
    'model-server',
  );

  await page.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
  await pick(page, 'Owner', /ml-team|ML Team/);
  await page.getByRole('button', { name: 'Next' }).click();

  // ml-team: quota 8; the demo catalog has 6 GPUs annotated (more after
  // other runs against the same portal).
  await pick(page, /GPU flavor/, /a100-80gb/);
  await page
    .getByRole('spinbutton', { name: /GPU count|Number of GPUs|GPUs/ })
    .fill('4');
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

test('an engineer creates a RAG pipeline whose AIPipeline names the stage owners picked in the form', async ({
  page,
}) => {
  const name = uniqueName('e2e-rag');
  await chooseTemplate(page, 'RAG pipeline', 'rag-pipeline');

  await page.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
  await pick(page, 'Accountable owner', /ml-team|ML Team/);
  await page.getByRole('button', { name: 'Next' }).click();

  await pick(page, 'Ingestion owner', /data-team|Data Team/);
  await pick(page, 'Embedding owner', /ml-team|ML Team/);
  await pick(page, 'Vector index owner', /platform-team|Platform Team/);
  await pick(page, 'Retrieval owner', /search-team|Search Team/);
  await pick(page, 'Generation owner', /ml-team|ML Team/);
  await page.getByRole('button', { name: 'Next' }).click();

  await pick(page, 'Embedding model', 'text-embedding-3-small');
  await pick(page, 'Generation model', 'gpt-4o-mini');
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(
    page.getByRole('link', { name: 'Open the pipeline in the catalog' }),
  ).toBeVisible({ timeout: 90_000 });

  // The AIPipeline arrives through its own registered location (ai-pipeline.yaml).
  let pipeline: any;
  await expect(async () => {
    const response = await getEntity(page, `aipipeline/default/${name}`);
    expect(response.status()).toBe(200);
    pipeline = await response.json();
  }).toPass({ timeout: 90_000 });
  expect(
    Object.fromEntries(
      pipeline.spec.stages.map((s: { name: string; owner: string }) => [
        s.name,
        s.owner,
      ]),
    ),
  ).toMatchObject({
    ingestion: expect.stringMatching(/data-team/),
    'vector-index': expect.stringMatching(/platform-team/),
    retrieval: expect.stringMatching(/search-team/),
  });
  expect(pipeline.spec.slos.length).toBeGreaterThan(0);

  // Developers browse it in the portal like the demo pipelines.
  await page.goto(`/catalog/default/aipipeline/${name}`);
  await expect(page.getByRole('heading', { name })).toBeVisible();
});

test('an engineer creates a GPU model server within quota and finds its GPU request and gateway route in the catalog', async ({
  page,
}) => {
  const name = uniqueName('e2e-vllm');
  await chooseTemplate(
    page,
    'Self-hosted model server on GPUs',
    'model-server',
  );

  await page.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
  // ML platform: quota 16, no GPUs in use in the demo.
  await pick(page, 'Owner', /ml-platform|ML Platform/);
  await page.getByRole('button', { name: 'Next' }).click();
  await pick(page, /GPU flavor/, /a100-80gb/);
  await expect(page.getByText(/Quota 16 GPUs/)).toBeVisible();
  await page.getByRole('spinbutton', { name: /Number of GPUs/ }).fill('2');
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('link', { name: 'Open in catalog' })).toBeVisible(
    { timeout: 90_000 },
  );

  let entity: any;
  await expect(async () => {
    const response = await getEntity(page, `component/default/${name}`);
    expect(response.status()).toBe(200);
    entity = await response.json();
  }).toPass({ timeout: 90_000 });
  expect(entity.spec.owner).toMatch(/ml-platform/);
  expect(entity.metadata.annotations).toMatchObject({
    'ai-platform.io/gpu-request': '2',
    'ai-platform.io/gpu-flavor': 'a100-80gb',
    'ai-platform.io/gateway-route': name,
  });
});
