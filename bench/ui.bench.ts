/*
 * UI benchmark: the ownership tab of a 200-stage AIPipeline in the real
 * portal, driven by headless Chromium (Playwright).
 *
 * Starts its own portal (`backstage-cli repo start`, the development build:
 * rspack dev server and backend) on ports 3100/7107 with a generated config
 * laid over app-config.yaml whose catalog holds the demo organisation and one
 * generated pipeline (bench/lib/syntheticCatalog.ts `buildLargePipeline`),
 * signs in as the demo guest and measures, inside the page:
 *
 *  1. first render: from clicking the entity page's Ownership tab (the app is
 *     loaded, another tab shown) to the ownership graph holding every stage
 *     node (includes fetching the ownership analysis);
 *  2. a stage click: from dispatching a click on a stage node to the stage's
 *     detail (the node pressed and the "Findings: <stage>" card) in the DOM.
 *
 * Both also report the time to the next frame after the DOM was complete.
 * Writes bench/results/ui.{json,md}.
 *
 *   yarn bench ui
 *   BENCH_UI_RENDERS=5 BENCH_UI_CLICKS=10 yarn bench ui   (quicker)
 *   BENCH_UI_PROFILE=1 yarn bench ui                      (adds a CPU profile summary)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, Page } from 'playwright-core';
import { percentile, ms } from './lib/measure';
import { writeResults } from './lib/writeResults';
import { buildLargePipeline } from './lib/syntheticCatalog';
import { REPO_ROOT, guestToken, pollJson, startPortal } from './lib/portal';
import { summarizeCpuProfile, CpuProfile } from './lib/cpuProfile';

const STAGES = Number(process.env.BENCH_UI_STAGES ?? 200);
const RENDERS = Number(process.env.BENCH_UI_RENDERS ?? 10);
const RENDER_WARMUP = 2;
const CLICKS = Number(process.env.BENCH_UI_CLICKS ?? 30);
const CLICK_WARMUP = 5;
const FRONTEND_PORT = Number(process.env.BENCH_UI_FRONTEND_PORT ?? 3100);
const BACKEND_PORT = Number(process.env.BENCH_UI_BACKEND_PORT ?? 7107);
const PROFILE = process.env.BENCH_UI_PROFILE === '1';
const TARGET_RENDER_MS = 1000;
const TARGET_CLICK_MS = 100;
const WORK_DIR = path.join(__dirname, '.tmp');
const ENTITY_PATH = '/catalog/default/aipipeline/big-pipeline';
const LOAD_BEFORE = os.loadavg();

function benchConfig(catalogFile: string): string {
  // JSON is YAML. Arrays replace those of app-config.yaml, objects merge.
  const frontend = `http://localhost:${FRONTEND_PORT}`;
  const backend = `http://localhost:${BACKEND_PORT}`;
  return `${JSON.stringify(
    {
      app: { baseUrl: frontend },
      backend: {
        baseUrl: backend,
        listen: { port: BACKEND_PORT },
        cors: { origin: frontend },
      },
      catalog: {
        locations: [
          {
            type: 'file',
            target: path.join(REPO_ROOT, 'examples/org.yaml'),
            rules: [{ allow: ['User', 'Group'] }],
          },
          {
            type: 'file',
            target: catalogFile,
            rules: [{ allow: ['AIPipeline', 'Component', 'Group', 'User'] }],
          },
        ],
      },
      // No demo history replays: they are for the demo pipelines, not here.
      aiPlatform: { demo: { signals: false, usage: false } },
    },
    null,
    2,
  )}\n`;
}

function writeCatalog(): { file: string; entities: number } {
  const { entities } = buildLargePipeline(STAGES);
  // The catalog stitches relations itself.
  const docs = entities.map(({ relations: _r, ...e }) => JSON.stringify(e));
  const file = path.join(WORK_DIR, 'catalog-ui-bench.yaml');
  fs.mkdirSync(WORK_DIR, { recursive: true });
  fs.writeFileSync(file, docs.map(d => `---\n${d}\n`).join(''));
  return { file, entities: entities.length };
}

interface RenderSample {
  domMs: number;
  frameMs: number;
  fetchMs: number;
}

/** In the page: click a tab link, wait for the graph with `stages` nodes. */
async function renderOnce(page: Page, stages: number): Promise<RenderSample> {
  // Show another tab first, so that the ownership tab mounts afresh.
  await page.getByRole('link', { name: 'Overview', exact: true }).click();
  await page.getByTestId('ownership-graph').waitFor({ state: 'detached' });
  const link = await page
    .getByRole('link', { name: 'Ownership', exact: true })
    .elementHandle();
  return page.evaluate(
    async ({ el, n }) => {
      const complete = () => {
        const graph = document.querySelector('[data-testid="ownership-graph"]');
        return (
          !!graph &&
          graph.querySelectorAll('[role="button"][aria-label^="stage "]')
            .length >= n
        );
      };
      const t0 = performance.now();
      (el as HTMLElement).click();
      await new Promise<void>(resolve => {
        if (complete()) {
          resolve();
          return;
        }
        const observer = new MutationObserver(() => {
          if (complete()) {
            observer.disconnect();
            resolve();
          }
        });
        observer.observe(document.body, { childList: true, subtree: true });
      });
      const tDom = performance.now();
      await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
      const tFrame = performance.now();
      const fetches = performance
        .getEntriesByType('resource')
        .filter(e => e.name.endsWith('/ownership') && e.startTime >= t0);
      return {
        domMs: tDom - t0,
        frameMs: tFrame - t0,
        fetchMs: fetches.length ? fetches[fetches.length - 1].duration : NaN,
      };
    },
    { el: link, n: stages },
  );
}

interface ClickSample {
  dispatchMs: number;
  domMs: number;
  frameMs: number;
}

/** In the page: click a stage node, wait for its detail. */
async function clickOnce(page: Page, stage: string): Promise<ClickSample> {
  return page.evaluate(async name => {
    const graph = document.querySelector('[data-testid="ownership-graph"]')!;
    const node = graph.querySelector(
      `[role="button"][aria-label="stage ${name}"]`,
    )!;
    const title = `Findings: ${name}`;
    const shown = () =>
      node.getAttribute('aria-pressed') === 'true' &&
      !!document.evaluate(
        `//*[text()="${title}"]`,
        document.body,
        null,
        XPathResult.FIRST_ORDERED_NODE_TYPE,
        null,
      ).singleNodeValue;
    const t0 = performance.now();
    node.dispatchEvent(
      new MouseEvent('click', {
        bubbles: true,
        cancelable: true,
        view: window,
      }),
    );
    const tDispatched = performance.now();
    await new Promise<void>(resolve => {
      if (shown()) {
        resolve();
        return;
      }
      const observer = new MutationObserver(() => {
        if (shown()) {
          observer.disconnect();
          resolve();
        }
      });
      observer.observe(document.body, {
        childList: true,
        subtree: true,
        attributes: true,
        characterData: true,
      });
    });
    const tDom = performance.now();
    await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
    const tFrame = performance.now();
    return {
      dispatchMs: tDispatched - t0,
      domMs: tDom - t0,
      frameMs: tFrame - t0,
    };
  }, stage);
}

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const r = (n: number) => Math.round(n * 100) / 100;
  return {
    medianMs: r(percentile(sorted, 50)),
    p95Ms: r(percentile(sorted, 95)),
    minMs: r(sorted[0]),
    maxMs: r(sorted[sorted.length - 1]),
    samplesMs: values.map(r),
  };
}

async function main() {
  const catalog = writeCatalog();
  const portal = startPortal({
    frontendPort: FRONTEND_PORT,
    backendPort: BACKEND_PORT,
    configYaml: benchConfig(catalog.file),
    workDir: WORK_DIR,
  });
  process.stdout.write(
    `Portal starting on ${portal.frontendUrl} / ${portal.backendUrl} (log: ${portal.logFile})\n`,
  );
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  try {
    const { seconds: startSeconds } = await portal.ready(600_000);
    process.stdout.write(`Portal ready after ${startSeconds.toFixed(0)} s\n`);
    const token = await guestToken(portal.backendUrl);
    const ownershipUrl = `${portal.backendUrl}/api/ai-platform/pipelines/default/big-pipeline/ownership`;
    const { seconds: catalogSeconds } = await pollJson<{
      stages: unknown[];
    }>(ownershipUrl, token, body => body.stages?.length === STAGES, 300_000);
    process.stdout.write(
      `Pipeline with ${STAGES} stages in the catalog after ${catalogSeconds.toFixed(
        0,
      )} s more\n`,
    );

    const page = await browser.newPage({
      viewport: { width: 1600, height: 1000 },
    });
    await page.goto(`${portal.frontendUrl}${ENTITY_PATH}`, {
      timeout: 300_000,
    });
    const enter = page.getByRole('button', { name: 'Enter' });
    const sidebar = page.getByRole('navigation', { name: 'sidebar nav' });
    await enter.or(sidebar).first().waitFor({ timeout: 300_000 });
    if (await enter.isVisible()) await enter.click();
    await page
      .getByRole('link', { name: 'Ownership', exact: true })
      .waitFor({ timeout: 120_000 });

    // 1. First render of the tab.
    const renders: RenderSample[] = [];
    for (let i = 0; i < RENDER_WARMUP + RENDERS; i++) {
      const sample = await renderOnce(page, STAGES);
      if (i >= RENDER_WARMUP) renders.push(sample);
    }

    // The graph's size.
    const dom = await page.evaluate(() => {
      const graph = document.querySelector('[data-testid="ownership-graph"]')!;
      return {
        graphElements: graph.querySelectorAll('*').length,
        stageNodes: graph.querySelectorAll('[role="button"]').length,
        edges: graph.querySelectorAll('path[d^="M"]').length,
        documentElements: document.getElementsByTagName('*').length,
      };
    });

    // 2. Stage clicks: every click selects a different stage.
    const names = Array.from(
      { length: CLICK_WARMUP + CLICKS },
      (_, k) => `s-${(k * 37 + 3) % STAGES}`,
    );
    const clicks: ClickSample[] = [];
    for (let i = 0; i < names.length; i++) {
      const sample = await clickOnce(page, names[i]);
      if (i >= CLICK_WARMUP) clicks.push(sample);
    }

    let profile: ReturnType<typeof summarizeCpuProfile> | undefined;
    if (PROFILE) {
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
      for (let i = 0; i < 10; i++)
        await clickOnce(page, `s-${(i * 41) % STAGES}`);
      const clickProfile = (await cdp.send('Profiler.stop')).profile;
      await cdp.send('Profiler.start');
      for (let i = 0; i < 3; i++) await renderOnce(page, STAGES);
      const renderProfile = (await cdp.send('Profiler.stop')).profile;
      profile = {
        ...summarizeCpuProfile(clickProfile as CpuProfile, 'clicks'),
        ...summarizeCpuProfile(renderProfile as CpuProfile, 'renders'),
      };
    }

    await writeReport({
      startSeconds,
      catalogSeconds,
      catalogEntities: catalog.entities,
      renders,
      clicks,
      dom,
      profile,
    });
  } finally {
    await browser.close();
    await portal.stop();
  }
}

async function writeReport(r: {
  startSeconds: number;
  catalogSeconds: number;
  catalogEntities: number;
  renders: RenderSample[];
  clicks: ClickSample[];
  dom: Record<string, number>;
  profile?: Record<string, unknown>;
}) {
  const loadAfter = os.loadavg();
  const render = {
    dom: stats(r.renders.map(s => s.domMs)),
    nextFrame: stats(r.renders.map(s => s.frameMs)),
    ownershipFetch: stats(r.renders.map(s => s.fetchMs)),
  };
  const click = {
    dispatch: stats(r.clicks.map(s => s.dispatchMs)),
    dom: stats(r.clicks.map(s => s.domMs)),
    nextFrame: stats(r.clicks.map(s => s.frameMs)),
  };
  const date = new Date().toISOString();
  const machine = {
    date,
    node: process.version,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cpus: os.cpus().length,
    /** 1, 5 and 15-minute load averages: other work on the machine skews figures. */
    loadAverage: { before: LOAD_BEFORE, after: loadAfter },
    chromium: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    build: 'development (backstage-cli repo start, rspack dev server)',
  };
  const json = {
    machine,
    setup: {
      stages: STAGES,
      catalogEntities: r.catalogEntities,
      portalStartSeconds: Math.round(r.startSeconds),
      catalogReadySeconds: Math.round(r.catalogSeconds),
      renders: { iterations: RENDERS, warmup: RENDER_WARMUP },
      clicks: { iterations: CLICKS, warmup: CLICK_WARMUP },
    },
    targets: { renderMs: TARGET_RENDER_MS, clickMs: TARGET_CLICK_MS },
    render,
    click,
    dom: r.dom,
    ...(r.profile ? { profile: r.profile } : {}),
  };
  const load = (l: number[]) => l.map(x => x.toFixed(2)).join(' / ');
  const row = (
    label: string,
    s: { medianMs: number; p95Ms: number },
    target: string,
  ) => `| ${label} | ${ms(s.medianMs)} | ${ms(s.p95Ms)} | ${target} |`;
  const md = `# UI benchmark: ownership tab of a ${STAGES}-stage pipeline

${date} · Node ${process.version} · ${machine.cpu} (${
    machine.cpus
  } CPUs) · load average (1/5/15 min) ${load(LOAD_BEFORE)} before, ${load(
    loadAfter,
  )} after

The real portal in development mode (\`backstage-cli repo start\`: rspack dev server, development React) on ports ${FRONTEND_PORT}/${BACKEND_PORT}, headless Chromium, signed in as the demo guest. The catalog holds the demo organisation and one generated AIPipeline of ${STAGES} stages (a layered DAG, fan-in 1-3, four teams; ${
    r.catalogEntities
  } generated entities). Times are taken inside the page with \`performance.now()\`; the DOM is watched with a MutationObserver, "next frame" is a \`requestAnimationFrame\` and a task later.

## First render: Ownership tab clicked → graph with all ${STAGES} stage nodes

${RENDERS} renders after ${RENDER_WARMUP} warm-up, each from the Overview tab of the loaded app.

| Measure | Median | p95 | Target |
| --- | ---: | ---: | ---: |
${row('Graph complete in the DOM', render.dom, `< ${ms(TARGET_RENDER_MS)}`)}
${row('Next frame after it', render.nextFrame, '')}
${row('of which the ownership request', render.ownershipFetch, '')}

## Stage click → the stage's detail (node pressed, "Findings: <stage>" card)

${CLICKS} clicks after ${CLICK_WARMUP} warm-up, each on a different stage.

| Measure | Median | p95 | Target |
| --- | ---: | ---: | ---: |
${row('Detail in the DOM', click.dom, `< ${ms(TARGET_CLICK_MS)}`)}
${row('Next frame after it', click.nextFrame, '')}
${row(
  'of which the click dispatch (React’s synchronous work)',
  click.dispatch,
  '',
)}

## The graph in the DOM

${r.dom.graphElements} elements inside \`data-testid="ownership-graph"\` (${
    r.dom.stageNodes
  } stage nodes, ${r.dom.edges} edge paths); ${
    r.dom.documentElements
  } elements in the whole document.
${
  r.profile
    ? `\n## CPU profile (top self time)\n\n\`\`\`json\n${JSON.stringify(
        r.profile,
        null,
        2,
      )}\n\`\`\`\n`
    : ''
}`;
  const out = writeResults(path.join(__dirname, 'results'), 'ui', json, md);
  process.stdout.write(out.markdown);
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exitCode = 1;
});
