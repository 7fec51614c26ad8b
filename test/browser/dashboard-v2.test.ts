/**
 * The dashboard against batch API v2 (LLAMA_CLOUD_BATCH_API=v2) in Debian's Chromium: cursor
 * paging, no type filter, THROTTLED offered, a job's files (results) instead of items, and no
 * made-up progress.
 */
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
    env: { LLAMA_CLOUD_API_KEY: demo.apiKey, LLAMA_CLOUD_BATCH_API: 'v2', RATE_LIMIT_PER_MINUTE: '0' },
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser.close();
  await gateway.close();
  await demo.close();
});

const openDashboard = () => openDashboardPage(browser, gateway.url);

const ids = (page: Page) =>
  page.$$eval('[data-testid=jobs] tr', (rows) => rows.map((r) => (r as HTMLElement).dataset.id));
const text = (page: Page, testId: string) => page.textContent(`[data-testid=${testId}]`);

describe('the dashboard under batch API v2', () => {
  it('pages by cursor forward and back, offers only what v2 can filter by, and keeps the page in the URL', async () => {
    const { page, problems } = await openDashboard();

    const first = await ids(page);
    expect(first).toHaveLength(20);
    for (const id of first) expect(id).toMatch(/^bat-/);
    expect(await text(page, 'range')).toBe('1–20 of ?');
    expect(await page.isVisible('[data-testid=filter-type]')).toBe(false);
    const statuses = await page.$$eval('[data-testid=filter-status] option:not([disabled])', (options) =>
      options.map((o) => o.textContent),
    );
    expect(statuses).toEqual(['All', 'PENDING', 'THROTTLED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED']);

    await page.click('[data-testid=next]');
    await page.waitForFunction(() => document.querySelector('[data-testid=range]')?.textContent === '21–40 of ?');
    const second = await ids(page);
    expect(second.filter((id) => first.includes(id))).toEqual([]);
    expect(new URL(page.url()).searchParams.get('after')).toMatch(/^[\w-]+$/);

    await page.click('[data-testid=prev]');
    await page.waitForFunction(() => document.querySelector('[data-testid=range]')?.textContent === '1–20 of ?');
    expect(await ids(page)).toEqual(first);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('opens a finished batch: its files and the job each became, and no progress figure v2 does not have', async () => {
    const { page, problems } = await openDashboard();
    await page.selectOption('[data-testid=filter-status]', 'COMPLETED');
    await page.waitForFunction(() =>
      [...document.querySelectorAll('[data-testid=jobs] tr')].every(
        (r) => (r as HTMLElement).dataset.status === 'COMPLETED',
      ),
    );
    await page.click('[data-testid=jobs] tr:first-child');
    await page.waitForSelector('[data-testid=items] tr td:nth-child(2)');

    expect(await page.textContent('#items-heading')).toBe('Files');
    const cells = await page.$$eval('[data-testid=items] tr', (rows) =>
      rows.map((r) => [r.children[0]?.textContent, r.children[1]?.textContent]),
    );
    expect(cells.length).toBeGreaterThan(0);
    for (const [file, became] of cells) {
      expect(file).toMatch(/^dfl-/);
      expect(became).toMatch(/^(parse|extract) job [pe]jb-|^No job: /);
    }
    expect(await page.textContent('#live-label')).toContain('no progress for v2 batches');
    expect(await page.isVisible('#live-progress')).toBe(false);
    expect(await text(page, 'items-range')).toMatch(/^1–\d+ of \d+$/);
    await page.screenshot({ path: new URL('dashboard-v2.png', ARTIFACTS).pathname, fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });
});
