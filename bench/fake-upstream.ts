/**
 * The benchmark's stand-in for LlamaCloud, run as its own process: the tests' fake upstream
 * (test/support/fake-upstream.ts), recording nothing, answering the list endpoint over 2000 demo
 * jobs, serialised per request as a real server would, after an optional fixed delay. Prints
 * `{"port": N}` on stdout once listening. GET /__stats answers how many API requests it has served
 * (and how many of them it failed), so the benchmark can count what reached the upstream.
 *
 * BENCH_UPSTREAM_FAULT_PERCENT fails that share of calls (the tests' `faulty`: a fixed random
 * sequence, in turn a 503, a reset connection, a stall that the gateway's timeout must end, and
 * truncated JSON).
 */
import { generateDemoJobs } from '../src/demo/jobs.js';
import { faulty, sendJson, startFakeUpstream, type Responder } from '../test/support/fake-upstream.js';

const delayMs = Number(process.env.BENCH_UPSTREAM_DELAY_MS ?? '0');
const faultPercent = Number(process.env.BENCH_UPSTREAM_FAULT_PERCENT ?? '0');
const jobs = generateDemoJobs(2000, Date.parse('2026-11-01T00:00:00Z'));

const page: Responder = (req, res) => {
  const answer = () => {
    const limit = Math.min(1000, Number(req.query.limit ?? '50'));
    const offset = Number(req.query.offset ?? '0');
    sendJson(res, 200, { items: jobs.slice(offset, offset + limit), next_page_token: null, total_size: jobs.length });
  };
  if (delayMs > 0) setTimeout(answer, delayMs);
  else answer();
};
const api = faulty(faultPercent, page);

const upstream = await startFakeUpstream({ record: false });
upstream.respond((req, res) => {
  if (req.path === '/__stats') sendJson(res, 200, { served: api.stats.calls, faults: api.stats.faults });
  else return api.responder(req, res);
});
process.stdout.write(`${JSON.stringify({ port: Number(upstream.url.port) })}\n`);
process.on('SIGTERM', () => process.exit(0));
