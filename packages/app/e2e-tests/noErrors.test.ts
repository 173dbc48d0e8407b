import { test, expect, Locator, Page } from '@playwright/test';
import { signIn } from './signIn';

/**
 * Every tab of the AI Platform page and every suite tab and card on entity
 * pages, opened on the demo's real data, must render without an error
 * overlay, error boundary, error panel, uncaught page error or console error.
 */

/**
 * Console errors that are not ours and cannot be avoided: React's
 * development-mode deprecation warnings about components Backstage itself
 * renders. Each is matched by the exact first line of its text (the
 * warning, without the component stack React appends) and must come from a
 * node rendered by a dependency: the first frame of its component stack
 * with a file must be in `from`. A warning about one of our components
 * (another component name, or a frame in our code) still fails the test.
 */
const ALLOWED_CONSOLE_ERRORS: ReadonlyArray<{ text: string; from: RegExp }> = [
  // MUI v4 (ButtonBase and its users, under Backstage's sign-in page,
  // sidebar and core-components, and the MUI v4 Link of catalog-react's
  // EntityRefLink) calls ReactDOM.findDOMNode; React 18.3 warns about it in
  // development. Backstage 1.x still ships MUI v4. (The suite's tables are
  // MUI v5 since #10: material-table's defaultProps warnings are gone.)
  {
    text: 'Warning: findDOMNode is deprecated and will be removed in the next major release. Instead, add a ref directly to the element you want to reference. Learn more about using refs safely here: https://reactjs.org/link/strict-mode-find-node%s',
    from: /\/node_modules\/(@material-ui\/core|react-router-dom)\//,
  },
];

/** Whether a console error is one of the allowed ones (see above). */
function isAllowed(text: string): boolean {
  const [first, ...stack] = text.split('\n');
  const frame = stack.find(line => /\(.+:\d+:\d+\)\s*$/.test(line));
  return ALLOWED_CONSOLE_ERRORS.some(
    allowed =>
      first.trim() === allowed.text &&
      frame !== undefined &&
      allowed.from.test(frame),
  );
}

/** The pipelines the issue names; every other pipeline of the table is opened too. */
const NAMED_PIPELINES = ['kb-answers', 'support-answers', 'fraud-scoring'];

/** Collects what goes wrong on a page: uncaught errors and console errors. */
function watchErrors(page: Page) {
  const errors: string[] = [];
  page.on('pageerror', error => {
    errors.push(`uncaught page error: ${error.stack ?? error.message}`);
  });
  page.on('console', message => {
    if (message.type() !== 'error') return;
    const text = message.text();
    if (isAllowed(text)) return;
    const { url, lineNumber } = message.location();
    errors.push(`console error: ${text} (at ${url}:${lineNumber})`);
  });
  return errors;
}

/**
 * What a crash or an unexpected error looks like: the dev server's error
 * overlay, Backstage's error boundaries ("Something Went Wrong", "Error in
 * <plugin>") and its ErrorPanel/WarningPanel (ResponseErrorPanel included).
 * The suite shows expected states (no data, not allowed) in MUI alerts.
 */
function errorShown(page: Page): Locator {
  return page
    .locator(
      [
        '#webpack-dev-server-client-overlay',
        '#webpack-dev-server-client-overlay-div',
        '[class*="BackstageWarningPanel-panel"]',
      ].join(', '),
    )
    .or(page.getByText(/something went wrong/i))
    .or(page.getByText(/^Error in /));
}

/**
 * Waits until `ready` shows (or an error does), nothing is loading any
 * more, and then checks that no error showed and none was logged.
 */
async function expectRendered(
  page: Page,
  errors: string[],
  where: string,
  ready: Locator,
) {
  await expect(ready.or(errorShown(page)).first(), where).toBeVisible();
  await expect(page.getByTestId('progress'), where).toHaveCount(0);
  await expect(errorShown(page), `${where}: error shown`).toHaveCount(0);
  expect(errors, `${where}: errors`).toEqual([]);
}

/** Opens `path` in the signed-in app (a full page load). */
async function open(page: Page, path: string) {
  await page.goto(path);
  await expect(
    page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'AI Platform' }),
  ).toBeVisible();
}

/** Opens the AI Platform page on the demo data, once the demo is replayed. */
async function openAiPlatform(page: Page) {
  await expect(async () => {
    await signIn(page, '/ai-platform');
    await expect(
      page
        .getByRole('row', { name: /Knowledge-base answers/ })
        .getByText('failing'),
    ).toBeVisible({ timeout: 10_000 });
  }).toPass({ timeout: 120_000 });
}

function tab(page: Page, name: string) {
  return page.getByRole('tab', { name, exact: true });
}

/** Opens a tab of the AI Platform page by clicking it, and checks its URL. */
async function openTab(page: Page, name: string, path: string) {
  await tab(page, name).click();
  await expect(page).toHaveURL(new RegExp(`/ai-platform/${path}$`));
}

test('every tab of the AI Platform page renders the demo without an error', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const errors = watchErrors(page);
  await openAiPlatform(page);

  await test.step('Pipelines', async () => {
    await expectRendered(
      page,
      errors,
      'Pipelines tab',
      page.getByRole('row', { name: /Support answer generation/ }),
    );
  });

  await test.step('Ownership report', async () => {
    await openTab(page, 'Ownership report', 'ownership');
    await expectRendered(
      page,
      errors,
      'Ownership report tab',
      page.getByRole('row', { name: /Fraud scoring|fraud-scoring/ }),
    );
  });

  await test.step('Audit', async () => {
    // The SLO watcher writes the demo's first events (actor `ai-platform`)
    // a minute after the backend starts: reopen the tab until they are in.
    await expect(async () => {
      await openTab(page, 'Pipelines', 'pipelines');
      await openTab(page, 'Audit', 'audit');
      await expect(
        page.getByText('slo.breached').first().or(errorShown(page)).first(),
      ).toBeVisible({ timeout: 5_000 });
    }).toPass({ timeout: 150_000 });
    await expectRendered(
      page,
      errors,
      'Audit tab',
      page.getByText('slo.breached').first(),
    );
    // The backend's own subject is text, not a link to a user.
    const row = page.getByRole('row').filter({ hasText: 'slo.breached' });
    await expect(
      row.first().getByText('ai-platform', { exact: true }),
    ).toBeVisible();
    await expect(
      row.first().getByRole('link', { name: 'ai-platform', exact: true }),
    ).toHaveCount(0);
  });

  await test.step('Spend', async () => {
    await openTab(page, 'Spend', 'spend');
    await expectRendered(
      page,
      errors,
      'Spend tab',
      page.getByRole('button', { name: 'Drill into ml-team' }),
    );
    await expect(page.getByText('Daily spend by model')).toBeVisible();
    await expect(
      page.getByText('Unattributed usage (shadow AI)'),
    ).toBeVisible();
  });

  await test.step('Spend drill-down: a team, its services, a service', async () => {
    await page.getByRole('button', { name: 'Drill into ml-team' }).click();
    await expectRendered(
      page,
      errors,
      'Spend: team ml-team',
      page.getByRole('heading', { name: 'Team ml-team' }),
    );
    await expect(page.getByRole('region', { name: 'Services' })).toBeVisible();
    await page
      .getByRole('button', { name: /Drill into .*answer-generator/ })
      .click();
    await expectRendered(
      page,
      errors,
      'Spend: service answer-generator',
      page.getByRole('region', { name: 'Models of ml-team' }),
    );
    // Back to the top through the breadcrumb.
    await page.getByRole('button', { name: 'All teams' }).click();
    await expectRendered(
      page,
      errors,
      'Spend: back to all teams',
      page.getByRole('region', { name: 'Teams ranked by cost' }),
    );
  });
});

test("every pipeline's dashboard, ownership tab and spend card render without an error", async ({
  page,
}) => {
  test.setTimeout(600_000);
  const errors = watchErrors(page);
  await openAiPlatform(page);

  const links = page.locator('tr a[href*="/aipipeline/"]');
  const hrefs = [
    ...new Set(
      (
        await links.evaluateAll(as =>
          as.map(a => (a as HTMLAnchorElement).getAttribute('href') ?? ''),
        )
      ).filter(href => /\/aipipeline\/[^/]+$/.test(href)),
    ),
  ];
  for (const name of NAMED_PIPELINES) {
    expect(hrefs.some(href => href.endsWith(`/aipipeline/${name}`))).toBe(true);
  }

  for (const href of hrefs) {
    const name = href.split('/').pop()!;
    await test.step(`${name}: overview with the AI spend card`, async () => {
      await open(page, href);
      await expectRendered(
        page,
        errors,
        `${name} overview`,
        page.getByText('Month to date').or(page.getByText(/not allowed/)),
      );
      await expect(page.getByText('AI spend', { exact: true })).toBeVisible();
    });
    await test.step(`${name}: Dashboard`, async () => {
      // The entity page's own tab: client-side, as a user gets there.
      await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
      await expect(page).toHaveURL(new RegExp(`${href}/dashboard$`));
      await expectRendered(
        page,
        errors,
        `${name} dashboard`,
        page.getByText('Service level objectives'),
      );
      await expect(page.getByText('Signals', { exact: true })).toBeVisible();
    });
    await test.step(`${name}: Ownership`, async () => {
      await page.getByRole('link', { name: 'Ownership', exact: true }).click();
      await expect(page).toHaveURL(new RegExp(`${href}/ownership$`));
      await expectRendered(
        page,
        errors,
        `${name} ownership`,
        page.getByTestId('ownership-graph'),
      );
      await expect(page.getByText('Blast radius')).toBeVisible();
    });
  }
});

test('group and user pages show the suite cards without an error', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const errors = watchErrors(page);
  await openAiPlatform(page);

  for (const group of ['ml-team', 'support-eng', 'acme']) {
    await test.step(`group ${group}: stages and spend cards`, async () => {
      await open(page, `/catalog/default/group/${group}`);
      await expectRendered(
        page,
        errors,
        `group ${group}`,
        page.getByText('AI pipeline stages'),
      );
      await expect(page.getByText('AI spend', { exact: true })).toBeVisible();
      await expect(
        page
          .getByText('Month to date')
          .or(page.getByText(/not allowed/))
          .first(),
      ).toBeVisible();
    });
  }

  for (const user of ['ivan', 'dave']) {
    await test.step(`user ${user}: stages card`, async () => {
      await open(page, `/catalog/default/user/${user}`);
      await expectRendered(
        page,
        errors,
        `user ${user}`,
        page.getByText('AI pipeline stages'),
      );
    });
  }
});
