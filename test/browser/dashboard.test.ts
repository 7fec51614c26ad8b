/**
 * The dashboard and GraphiQL in a real browser: Debian's Chromium (`apt-get install chromium`)
 * driven by playwright-core, against the gateway wired to the embedded demo upstream.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoUpstream, type DemoUpstream } from '../../src/demo/upstream.js';
import { startGateway, type TestGateway } from '../support/gateway.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = new URL('../artifacts/', import.meta.url);

let demo: DemoUpstream;
let gateway: TestGateway;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: install Debian's (apt-get install -y chromium) or set CHROMIUM_PATH.`);
  }
  demo = await startDemoUpstream();
  gateway = await startGateway({
    upstreamUrl: demo.url,
    env: { LLAMA_CLOUD_API_KEY: demo.apiKey, LIVE_POLL_INTERVAL_MS: '300', RATE_LIMIT_PER_MINUTE: '0' },
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

afterAll(async () => {
  await browser.close();
  await gateway.close();
  await demo.close();
});

async function openDashboard(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  await page.goto(new URL('/', gateway.url).href);
  await page.waitForSelector('body[data-ready="true"]');
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

describe('the dashboard', () => {
  it('lists jobs, filters by status and type, and pages', async () => {
    const page = await openDashboard();

    expect(await rowStatuses(page)).toHaveLength(20);
    expect(await page.textContent('[data-testid=range]')).toBe('1–20 of 300');

    await page.selectOption('[data-testid=filter-status]', 'FAILED');
    await page.waitForFunction(() => !document.querySelector('[data-testid=range]')?.textContent.endsWith('of 300'));
    const failed = await rowStatuses(page);
    expect(failed.length).toBeGreaterThan(0);
    expect(new Set(failed)).toEqual(new Set(['FAILED']));

    await page.selectOption('[data-testid=filter-status]', '');
    await page.selectOption('[data-testid=filter-type]', 'CLASSIFY');
    await page.waitForFunction(() => document.querySelector('[data-testid=range]')?.textContent === '1–20 of 100');
    const types = await page.$$eval('[data-testid=jobs] tr td:nth-child(2)', (cells) =>
      cells.map((c) => c.textContent),
    );
    expect(new Set(types)).toEqual(new Set(['CLASSIFY']));

    await page.click('[data-testid=next]');
    await page.waitForFunction(() => document.querySelector('[data-testid=range]')?.textContent === '21–40 of 100');
    await page.click('[data-testid=prev]');
    await page.waitForFunction(() => document.querySelector('[data-testid=range]')?.textContent === '1–20 of 100');
    await page.close();
  });

  it('opens a running job, shows its items and a live progress bar that advances, and cancels it', async () => {
    const page = await openDashboard();
    await page.selectOption('[data-testid=filter-status]', 'RUNNING');
    await page.waitForFunction(() =>
      [...document.querySelectorAll('[data-testid=jobs] tr')].every(
        (r) => (r as HTMLElement).dataset.status === 'RUNNING',
      ),
    );
    await page.click('[data-testid=jobs] tr:first-child');
    await page.waitForSelector('[data-testid=detail]:not([hidden])');
    await page.waitForSelector('[data-testid=items] tr');

    const percent = () =>
      page.$eval('[data-testid=live-progress]', (bar) => Number((bar as HTMLElement).dataset.percent));
    const before = await percent();
    await page.waitForFunction(
      (start) => Number((document.querySelector('[data-testid=live-progress]') as HTMLElement).dataset.percent) > start,
      before,
      { timeout: 15_000 },
    );
    expect(await percent()).toBeGreaterThan(before);
    expect(await page.textContent('[data-testid=detail-status]')).toBe('RUNNING');

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: new URL('dashboard.png', ARTIFACTS).pathname, fullPage: true });

    await page.click('[data-testid=cancel]');
    await page.waitForFunction(
      () => document.querySelector('[data-testid=detail-status]')?.textContent === 'CANCELLED',
    );
    expect(await page.isHidden('[data-testid=cancel]')).toBe(true);
    await page.close();
  });
});
