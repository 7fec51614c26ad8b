/**
 * The benchmark's stand-in for LlamaCloud, run as its own process: the list endpoint over 2000
 * demo jobs, serialised per request as a real server would, after an optional fixed delay.
 * Prints `{"port": N}` on stdout once listening. GET /__stats answers how many API requests it
 * has served (and how many of them it failed), so the benchmark can count what reached the upstream.
 *
 * BENCH_UPSTREAM_FAULT_PERCENT fails that share of calls at random, in turn with a 503, a reset
 * connection, a stall (never answered: the gateway's timeout ends it) and truncated JSON.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateDemoJobs } from '../src/demo/jobs.js';

const delayMs = Number(process.env.BENCH_UPSTREAM_DELAY_MS ?? '0');
const faultPercent = Number(process.env.BENCH_UPSTREAM_FAULT_PERCENT ?? '0');
const FAULTS = ['503', 'reset', 'stall', 'truncated'] as const;
let faults = 0;
const jobs = generateDemoJobs(2000, Date.parse('2026-11-01T00:00:00Z'));
let served = 0;

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://bench');
  if (url.pathname === '/__stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ served, faults }));
    return;
  }
  served += 1;
  if (faultPercent > 0 && Math.random() * 100 < faultPercent) {
    const fault = FAULTS[faults % FAULTS.length];
    faults += 1;
    if (fault === '503') {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end('{"detail": "Service Unavailable"}');
    } else if (fault === 'reset') req.socket.destroy();
    else if (fault === 'truncated') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"items": [{"id": "bjb-1", "job_');
    }
    return;
  }
  const answer = () => {
    const limit = Math.min(1000, Number(url.searchParams.get('limit') ?? '50'));
    const offset = Number(url.searchParams.get('offset') ?? '0');
    const items = jobs.slice(offset, offset + limit);
    const body = JSON.stringify({ items, next_page_token: null, total_size: jobs.length });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
  if (delayMs > 0) setTimeout(answer, delayMs);
  else answer();
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.on('SIGTERM', () => process.exit(0));
