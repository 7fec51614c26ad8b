/**
 * The dashboard and GraphiQL in a real browser: Debian's Chromium (`apt-get install chromium`)
 * driven by playwright-core, against the gateway wired to the embedded demo upstream.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoUpstream, type DemoUpstream } from '../../src/demo/upstream.js';
import { ARTIFACTS, launchChromium, openDashboardPage } from '../support/browser.js';
import { startGateway, type TestGateway } from '../support/gateway.js';

let demo: DemoUpstream;
let gateway: TestGateway;
let browser: Browser;

beforeAll(async () => {
  demo = await startDemoUpstream();
  gateway = await startGateway({
    upstreamUrl: demo.url,
    env: { LLAMA_CLOUD_API_KEY: demo.apiKey, LIVE_POLL_INTERVAL_MS: '300', RATE_LIMIT_PER_MINUTE: '0' },
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser.close();
  await gateway.close();
  await demo.close();
});

async function openDashboard(): Promise<Page> {
  const { page, problems } = await openDashboardPage(browser, gateway.url);
  expect(problems).toEqual([]);
  return page;
}

const rowStatuses = (page: Page) =>
  page.$$eval('[data-testid=jobs] tr', (rows) => rows.map((r) => (r as HTMLElement).dataset.status));

describe('GraphiQL', () => {
  it('loads from the gateway itself and runs the example query', async () => {
    const page = await browser.newPage();
    await page.goto(new URL('/graphql', gateway.url).href);
    await page.waitForSelector('.graphiql-container');
    await page.click('.graphiql-execute-button');
    await page.waitForFunction(() => document.querySelector('.graphiql-response')?.textContent.includes('totalCount'));
    const response = await page.textContent('.graphiql-response');

    expect(response).toContain('"batchJobs"');
    expect(response).toContain('"RUNNING"');
    await page.close();
  });
});

const text = (page: Page, testId: string) => page.textContent(`[data-testid=${testId}]`);
const waitText = (page: Page, testId: string, pattern: RegExp) =>
  page.waitForFunction(
    ([id, source]) => new RegExp(source).test(document.querySelector(`[data-testid=${id}]`)?.textContent ?? ''),
    [testId, pattern.source] as const,
  );

async function openRunningJob(page: Page): Promise<void> {
  await page.selectOption('[data-testid=filter-status]', 'RUNNING');
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('[data-testid=jobs] tr')];
    return rows.length > 0 && rows.every((r) => (r as HTMLElement).dataset.status === 'RUNNING');
  });
  await page.click('[data-testid=jobs] tr:first-child');
  await page.waitForSelector('[data-testid=detail]:not([hidden])');
  await page.waitForSelector('[data-testid=items] tr');
}

const livePercent = (page: Page) =>
  page.$eval('[data-testid=live-progress]', (bar) => Number((bar as HTMLElement).dataset.percent));

describe('the dashboard', () => {
  it('lists jobs, filters by status and type, pages, and keeps all of it in the URL across a reload', async () => {
    const page = await openDashboard();

    expect(await rowStatuses(page)).toHaveLength(20);
    expect(await text(page, 'range')).toMatch(/^1–20 of \d+$/);
    expect(await page.isVisible('[data-testid=graphiql-link]')).toBe(true);

    await page.selectOption('[data-testid=filter-status]', 'FAILED');
    await page.waitForFunction(() =>
      [...document.querySelectorAll('[data-testid=jobs] tr')].every(
        (r) => (r as HTMLElement).dataset.status === 'FAILED',
      ),
    );
    await page.selectOption('[data-testid=filter-status]', '');
    await page.selectOption('[data-testid=filter-type]', 'CLASSIFY');
    await waitText(page, 'range', /^1–20 of \d+$/);
    await page.click('[data-testid=next]');
    await waitText(page, 'range', /^21–40 of \d+$/);
    const types = await page.$$eval('[data-testid=jobs] tr td:nth-child(2)', (cells) =>
      cells.map((c) => c.textContent),
    );
    expect(new Set(types)).toEqual(new Set(['CLASSIFY']));
    expect(new URL(page.url()).search).toBe('?type=CLASSIFY&offset=20');

    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    expect(await text(page, 'range')).toMatch(/^21–40 of \d+$/);
    expect(await page.inputValue('[data-testid=filter-type]')).toBe('CLASSIFY');

    await page.click('[data-testid=prev]');
    await waitText(page, 'range', /^1–20 of \d+$/);
    await page.close();
  });

  it('sorts the page by created time and opens a job by its id', async () => {
    const page = await openDashboard();
    const created = () =>
      page.$$eval('[data-testid=jobs] tr', (rows) => rows.map((r) => (r as HTMLElement).dataset.id ?? ''));
    const ids = await created();

    await page.click('[data-testid=sort-created]');
    expect(await page.getAttribute('#created-heading', 'aria-sort')).toBe('descending');
    await page.click('[data-testid=sort-created]');
    expect(await page.getAttribute('#created-heading', 'aria-sort')).toBe('ascending');
    // The demo lists newest first: oldest first is the page reversed.
    expect(await created()).toEqual([...ids].reverse());

    await page.fill('[data-testid=search]', ids[5] ?? '');
    await page.press('[data-testid=search]', 'Enter');
    await page.waitForFunction((id) => document.querySelector('#detail-id')?.textContent === id, ids[5]);
    expect(new URL(page.url()).searchParams.get('job')).toBe(ids[5]);

    await page.fill('[data-testid=search]', 'bjb-no-such-job');
    await page.press('[data-testid=search]', 'Enter');
    await waitText(page, 'list-status', /There is no job with id "bjb-no-such-job"\./);
    expect(await page.isHidden('[data-testid=detail]')).toBe(true);
    await page.close();
  });

  it('is used with the keyboard: rows by Tab and Enter, focus moves into the job and back on Escape', async () => {
    const page = await openDashboard();
    await page.focus('[data-testid=next]');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    const focused = await page.evaluate(() => (document.activeElement as HTMLElement).dataset.id);
    expect(focused).toMatch(/^bjb-/);
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=detail]:not([hidden])');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('detail-id');
    await page.keyboard.press('Escape');
    expect(await page.isHidden('[data-testid=detail]')).toBe(true);
    expect(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.id)).toBe(focused);
    // Focus is visible.
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);
    expect(outline).toBe('solid');
    await page.close();
  });

  it('opens a running job: paged items, a live progress bar that advances, counts, a close button', async () => {
    const page = await openDashboard();
    await openRunningJob(page);

    const total = Number(await text(page, 'detail-counts').then((t) => /of (\d+)/.exec(t ?? '')?.[1]));
    const shown = Math.min(50, total);
    expect(await text(page, 'items-range')).toBe(`1–${shown} of ${total}`);
    if (total > 50) {
      await page.click('[data-testid=items-next]');
      await waitText(page, 'items-range', /^51–/);
      expect(new URL(page.url()).searchParams.get('itemsOffset')).toBe('50');
    }
    expect(await page.getAttribute('[data-testid=live-progress]', 'role')).toBe('progressbar');
    const before = await livePercent(page);
    await page.waitForFunction(
      (start) => Number((document.querySelector('[data-testid=live-progress]') as HTMLElement).dataset.percent) > start,
      before,
      { timeout: 15_000 },
    );
    expect(Number(await page.getAttribute('[data-testid=live-progress]', 'aria-valuenow'))).toBeGreaterThan(before);
    expect(await text(page, 'live-state')).toBe('Live: updates arrive as the job changes.');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: new URL('dashboard.png', ARTIFACTS).pathname, fullPage: true });

    await page.click('[data-testid=close]');
    expect(await page.isHidden('[data-testid=detail]')).toBe(true);
    expect(new URL(page.url()).searchParams.get('job')).toBeNull();
    await page.close();
  });

  it('asks before cancelling, then shows the outcome and keeps the counts', async () => {
    const page = await openDashboard();
    await openRunningJob(page);
    const counts = await text(page, 'detail-counts');

    await page.click('[data-testid=cancel]');
    expect(await page.isVisible('[data-testid=confirm]')).toBe(true);
    await page.click('[data-testid=confirm-no]');
    expect(await page.isHidden('[data-testid=confirm]')).toBe(true);
    expect(await text(page, 'detail-status')).toBe('RUNNING');

    await page.click('[data-testid=cancel]');
    await page.click('[data-testid=confirm-yes]');
    await waitText(page, 'detail-status', /^CANCELLED$/);
    expect(await text(page, 'cancel-outcome')).toBe('Cancellation requested: the job is now CANCELLED.');
    expect(await page.isHidden('[data-testid=cancel]')).toBe(true);
    // The total and the failed and skipped counts stay; processed only ever grows.
    expect((await text(page, 'detail-counts'))?.replace(/\d+ processed/, '')).toBe(
      counts?.replace(/\d+ processed/, ''),
    );
    await page.close();
  });

  it('explains a finished job short of 100 %: processed, failed and skipped', async () => {
    const page = await openDashboard();
    await page.selectOption('[data-testid=filter-status]', 'COMPLETED');
    await page.waitForFunction(() =>
      [...document.querySelectorAll('[data-testid=jobs] tr')].every(
        (r) => (r as HTMLElement).dataset.status === 'COMPLETED',
      ),
    );
    const short = await page.$$eval('[data-testid=jobs] tr', (rows) =>
      rows.findIndex((r) => !r.textContent.includes('100.0%')),
    );
    expect(short).toBeGreaterThanOrEqual(0);
    await page.click(`[data-testid=jobs] tr:nth-child(${short + 1})`);
    await page.waitForSelector('[data-testid=progress-note]:not([hidden])');
    expect(await text(page, 'progress-note')).toMatch(
      /^Completed: \d+ of \d+ items processed, \d+ failed, \d+ skipped\. Failed and skipped items end without being processed, so the list shows this job below 100 %\.$/,
    );
    expect(await text(page, 'live-state')).toBe('The job has finished; no more updates.');
    await page.close();
  });

  it('shows loading, empty and error states; a proxy page reads as a message; retries with a countdown', async () => {
    const page = await openDashboard();
    let answer: 'empty' | 'html' | 'limited' | 'real' = 'empty';
    await page.route('**/graphql', async (route) => {
      if (answer === 'real') return route.continue();
      if (answer === 'html') {
        return route.fulfill({
          status: 502,
          contentType: 'text/html',
          body: '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>',
        });
      }
      if (answer === 'limited') {
        answer = 'real';
        return route.fulfill({
          status: 429,
          contentType: 'application/json',
          headers: { 'retry-after': '2' },
          body: JSON.stringify({
            errors: [{ message: 'Too many requests.', extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 2 } }],
          }),
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
      return route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({
          data: { batchJobs: { totalCount: 0, pageInfo: { hasNextPage: false, hasPreviousPage: false }, nodes: [] } },
        }),
      });
    });

    await page.selectOption('[data-testid=filter-type]', 'PARSE');
    await waitText(page, 'list-status', /^Loading jobs…$/);
    expect(await page.getAttribute('[data-testid=jobs]', 'aria-busy')).toBe('true');
    await waitText(page, 'jobs', /^No jobs match these filters\.$/);

    answer = 'html';
    await page.selectOption('[data-testid=filter-type]', 'EXTRACT');
    await page.waitForSelector('[data-testid=list-error]:not([hidden])');
    expect(await page.textContent('#list-error-text')).toBe(
      'The gateway could not be reached properly: HTTP 502 with a page titled "502 Bad Gateway".',
    );
    expect(await page.$$('[data-testid=jobs] tr')).toHaveLength(0);

    answer = 'limited';
    await page.click('[data-testid=retry]');
    await waitText(page, 'retry-countdown', /^Retrying in 2 s…$/);
    expect(await page.textContent('#list-error-text')).toBe('Too many requests. (RATE_LIMITED)');
    // The countdown runs out and the list comes back by itself.
    await page.waitForSelector('[data-testid=list-error][hidden]', { state: 'attached', timeout: 6000 });
    expect(await rowStatuses(page)).toHaveLength(20);
    await page.close();
  });

  it('shows a status newer than the gateway by the name LlamaCloud gave it', async () => {
    const page = await openDashboard();
    const job = {
      id: 'bjb-new-status',
      jobType: 'PARSE',
      status: 'UNKNOWN',
      rawStatus: 'throttled',
      directoryId: 'dir-1',
      totalItems: 10,
      processedItems: 0,
      failedItems: 0,
      progressPercentage: 0,
      createdAt: '2026-12-01T10:00:00.000Z',
    };
    await page.route('**/graphql', (route) =>
      route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({
          data: {
            batchJobs: { totalCount: 1, pageInfo: { hasNextPage: false, hasPreviousPage: false }, nodes: [job] },
          },
        }),
      }),
    );
    await page.selectOption('[data-testid=filter-type]', 'PARSE');
    await page.waitForSelector('[data-testid=jobs] tr[data-id=bjb-new-status]');
    expect(await page.textContent('[data-testid=jobs] tr .status')).toBe('THROTTLED');
    await page.close();
  });

  it('refreshes the list by itself while jobs on it are running', async () => {
    const page = await openDashboard();
    let pages = 0;
    page.on('request', (request) => {
      if (request.url().endsWith('/graphql') && (request.postData() ?? '').includes('"JobsPage"')) pages += 1;
    });
    await page.selectOption('[data-testid=filter-status]', 'RUNNING');
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid=jobs] tr[data-status=RUNNING]').length > 0,
    );
    const afterFilter = pages;
    await page.waitForFunction(() => true, undefined, { timeout: 100 });
    await new Promise((resolve) => setTimeout(resolve, 6500));
    expect(pages).toBeGreaterThan(afterFilter);
    await page.close();
  });

  it('resubscribes when the gateway ends the stream for a restart, and the bar moves on', async () => {
    const page = await openDashboard();
    let streams = 0;
    await page.route('**/graphql', async (route) => {
      if (!(route.request().headers().accept ?? '').includes('text/event-stream')) return route.continue();
      streams += 1;
      if (streams > 1) return route.continue();
      // What a stopping gateway sends: SHUTTING_DOWN as the stream's last event, then complete.
      const shutdown = {
        data: null,
        errors: [{ message: 'This gateway is shutting down.', extensions: { code: 'SHUTTING_DOWN' } }],
      };
      return route.fulfill({
        status: 200,
        contentType: 'text/event-stream',
        body: `event: next\ndata: ${JSON.stringify(shutdown)}\n\nevent: complete\ndata:\n\n`,
      });
    });
    await openRunningJob(page);
    await page.waitForFunction(() =>
      document.querySelector('[data-testid=live-state]')?.textContent.startsWith('Connection lost'),
    );
    await waitText(page, 'live-state', /^Live: updates arrive as the job changes\.$/);
    expect(streams).toBe(2);
    const before = await livePercent(page);
    await page.waitForFunction(
      (start) => Number((document.querySelector('[data-testid=live-progress]') as HTMLElement).dataset.percent) > start,
      before,
      { timeout: 15_000 },
    );
    expect(await page.isHidden('[data-testid=detail-message]')).toBe(true);
    await page.close();
  });

  it('subscribes with a plain EventSource from its own page (no CSRF header)', async () => {
    const page = await openDashboard();
    const id = await page.$eval('[data-testid=jobs] tr', (row) => (row as HTMLElement).dataset.id);
    const first = await page.evaluate(
      (jobId) =>
        new Promise<string>((resolve, reject) => {
          const url = new URL('/graphql', location.href);
          url.searchParams.set('query', 'subscription ($id: ID!) { batchJobUpdated(id: $id) { id status } }');
          url.searchParams.set('variables', JSON.stringify({ id: jobId }));
          const source = new EventSource(url);
          source.addEventListener('next', (event) => {
            source.close();
            resolve((event as MessageEvent<string>).data);
          });
          source.onerror = () => reject(new Error('the EventSource failed'));
        }),
      id,
    );
    expect(JSON.parse(first)).toMatchObject({ data: { batchJobUpdated: { id } } });
    await page.close();
  });

  it('fits a 390 px phone without sideways scrolling, and follows dark mode', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(new URL('/', gateway.url).href);
    await page.waitForSelector('body[data-ready="true"]');
    await openRunningJob(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const detail = await page.locator('[data-testid=detail]').boundingBox();
    const table = await page.locator('.jobs table').boundingBox();
    // One column: the job above the list, not over it.
    expect((detail?.y ?? 0) + (detail?.height ?? 0)).toBeLessThanOrEqual(table?.y ?? 0);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: new URL('dashboard-mobile.png', ARTIFACTS).pathname, fullPage: true });

    await page.emulateMedia({ colorScheme: 'dark' });
    await page.setViewportSize({ width: 1400, height: 900 });
    const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(background).toBe('rgb(20, 22, 26)');
    await page.screenshot({ path: new URL('dashboard-dark.png', ARTIFACTS).pathname, fullPage: true });
    await page.close();
  });
});
