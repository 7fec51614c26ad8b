/**
 * Run by `npm run bench` as its own process: the CPU cost of answering one page in-process (the
 * real app through `yoga.fetch`, no HTTP, the upstream answered from memory), with queries compiled
 * (graphql-jit) against the generic executor. Shared execution is off, so every request executes.
 * Alternates the two apps round by round and prints each round's µs per request:
 * `{"compiled": [...], "generic": [...]}` (the benchmark takes the medians).
 */
import { Writable } from 'node:stream';
import { createApp, type App } from '../src/app.js';
import { parseConfig } from '../src/config/config.js';
import { generateDemoJobs } from '../src/demo/jobs.js';
import { createLogger } from '../src/observability/logger.js';
import type { LlamaCloudClient } from '../src/upstream/client.js';
import { batchJobListSchema } from '../src/upstream/wire.js';

const ROUNDS = 5;
const REQUESTS_PER_ROUND = 4000;
const CONCURRENCY = 32;

const jobs = generateDemoJobs(20, Date.parse('2026-11-01T00:00:00Z'));
const page = batchJobListSchema.parse({ items: jobs, next_page_token: null, total_size: 2000 });
// Only the list call is made; the page is the one the HTTP benchmark's upstream would send.
const upstream = {
  listBatchJobs: () => Promise.resolve(page),
  breakerOpen: false,
  close: () => Promise.resolve(),
} as unknown as LlamaCloudClient;
const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });

function app(compileQueriesAfter: string): App {
  const config = parseConfig({
    LLAMA_CLOUD_API_KEY: 'bench-key',
    NODE_ENV: 'production',
    AUTH_MODE: 'none',
    RATE_LIMIT_PER_MINUTE: '0',
    SHARE_IDENTICAL_QUERIES: 'false',
    COMPILE_QUERIES_AFTER: compileQueriesAfter,
  });
  return createApp({ config, logger: createLogger('info', quiet), upstream });
}

const FIELDS = `id jobType projectId status totalItems processedItems failedItems skippedItems directoryId
  errorMessage jobRecordId workflowId createdAt updatedAt startedAt completedAt effectiveAt`;
const body = JSON.stringify({
  query: `query BenchPage($offset: Int) { batchJobs(limit: 20, offset: $offset) { totalCount pageInfo { hasNextPage endCursor } nodes { ${FIELDS} } } }`,
  variables: { offset: 0 },
});

/** CPU microseconds per request over `count` requests, `CONCURRENCY` at a time. */
async function cpuPerRequest(target: App, count: number): Promise<number> {
  let sent = 0;
  const worker = async () => {
    while (sent < count) {
      sent += 1;
      const res = await target.yoga.fetch('http://bench/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      const text = await res.text();
      if (res.status !== 200 || text.includes('"errors"')) throw new Error(`the page query failed: ${text}`);
    }
  };
  const before = process.cpuUsage();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const used = process.cpuUsage(before);
  return (used.user + used.system) / count;
}

const compiledApp = app('1');
const genericApp = app('0');
// Warm both up (JIT, caches, the compiled query) before measuring.
await cpuPerRequest(compiledApp, 2000);
await cpuPerRequest(genericApp, 2000);
const compiled: number[] = [];
const generic: number[] = [];
for (let round = 0; round < ROUNDS; round += 1) {
  compiled.push(await cpuPerRequest(compiledApp, REQUESTS_PER_ROUND));
  generic.push(await cpuPerRequest(genericApp, REQUESTS_PER_ROUND));
}
process.stdout.write(`${JSON.stringify({ compiled, generic })}\n`);
await Promise.all([compiledApp.close(), genericApp.close()]);
