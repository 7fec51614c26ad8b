/**
 * `npm run bench`: measures the built gateway against a fake upstream, each in its own process,
 * with autocannon on loopback. Every figure is reported next to a baseline measured in the same
 * run, since these machines are shared and noisy. Prints a table and writes bench/results.md.
 *
 * Each overhead row alternates the baseline and the measured side in short slices (BENCH_ROUNDS,
 * default 4, of BENCH_SLICE_S, default 3 s, each) and reports the median of the per-round ratios:
 * the machine's spare CPU drifts from one minute to the next, and two back-to-back slices see
 * nearly the same machine. Every side is measured warm, as a server in production runs: after
 * BENCH_WARMUP_S (default 5) of unmeasured load, and each slice after BENCH_LEAD_IN_S (default 1).
 * Each side's CPU per request is read from /proc as well: the machine is CPU-bound, so the ratio
 * of rates follows the inverse ratio of CPU, and the CPU says how much a change has to save. BENCH_DURATION_S (default 10) sets the coalescing run and the fault runs; BENCH_MEMORY_S
 * (default 60) the memory run; BENCH_PROFILE=1 runs the gateway under `node --cpu-prof`
 * and prints its hottest functions; BENCH_ROWS (say `faults,memory`) runs only those groups of rows:
 * frontend, overhead, execution, coalescing, fleet, faults, memory.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { SignJWT } from 'jose';
import { summarizeProfile } from './profile.js';

// A key shaped like LlamaCloud's (`llx-` and 48 characters), made per run: the gateway scans every
// answer for its key, and how long that search takes depends on the key's length.
const UPSTREAM_KEY = `llx-${randomBytes(36).toString('base64url')}`;

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? '10');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? '4');
const SLICE_S = Number(process.env.BENCH_SLICE_S ?? '3');
/** Unmeasured load each side of a comparison gets first: a server in production has warmed up. */
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? '5');
/** Unmeasured load just before each measured slice: a side has sat idle while the others ran. */
const LEAD_IN_S = Number(process.env.BENCH_LEAD_IN_S ?? '1');
const MEMORY_S = Number(process.env.BENCH_MEMORY_S ?? '60');
const PROFILE = process.env.BENCH_PROFILE === '1';
/** Which groups of rows to run (comma-separated); all by default. */
const ROW_GROUPS = ['frontend', 'tracing', 'overhead', 'execution', 'coalescing', 'fleet', 'faults', 'memory'] as const;
const SELECTED = new Set((process.env.BENCH_ROWS ?? ROW_GROUPS.join(',')).split(',').map((g) => g.trim()));
const selected = (group: (typeof ROW_GROUPS)[number]) => SELECTED.has(group);
const CONNECTIONS = 32;
const PROFILE_DIR = `${ROOT}bench/profiles`;
const LOG_DIR = `${ROOT}bench/logs`;

const JOB_FIELDS = `id jobType projectId status totalItems processedItems failedItems skippedItems directoryId
  errorMessage jobRecordId workflowId createdAt updatedAt startedAt completedAt effectiveAt`;
const listQuery = (limit: number) =>
  JSON.stringify({
    query: `query Bench { batchJobs(limit: ${limit}) { totalCount pageInfo { hasNextPage endCursor } nodes { ${JOB_FIELDS} } } }`,
  });
/** The same page query with the offset as a variable, as frontends send it (one cached document). */
const pageAt = (offset: number) =>
  JSON.stringify({
    query: `query BenchPage($offset: Int) { batchJobs(limit: 20, offset: $offset) { totalCount pageInfo { hasNextPage endCursor } nodes { ${JOB_FIELDS} } } }`,
    variables: { offset },
  });
/** The same page with the offset written into the query text: a new document every request. */
const pageInText = (offset: number) =>
  JSON.stringify({
    query: `query BenchPage { batchJobs(limit: 20, offset: ${offset}) { totalCount pageInfo { hasNextPage endCursor } nodes { ${JOB_FIELDS} } } }`,
  });
/** A page of 1000 at a different offset per request (the upstream holds 2000 jobs). */
const bigPageAt = (offset: number) =>
  JSON.stringify({
    query: `query BenchBigPage($offset: Int) { batchJobs(limit: 1000, offset: $offset) { totalCount nodes { ${JOB_FIELDS} } } }`,
    variables: { offset: offset % 1000 },
  });
/** The HS256 secret of the benchmark's AUTH_MODE=jwt gateway. */
const JWT_SECRET = 'bench-secret-bench-secret-bench-secret';
/** The micro-cache setting of the benchmark's micro-cache row (off by default). */
const MICRO_CACHE_MS = 1000;
/** Pages the fake upstream can serve whole (it holds 2000 jobs). */
const PAGE_OFFSETS = 1981;

/** One of them, measured on its own: V8 allocating per-request objects in the old generation. */
const NO_PRETENURING = '--no-allocation-site-pretenuring';
/** The V8 flags `npm start` runs the gateway with: the benchmark measures it as started. */
const START_FLAGS = (() => {
  const { scripts } = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { scripts: { start: string } };
  return scripts.start.split(/\s+/).filter((word) => word.startsWith('--'));
})();

interface Proc {
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function firstLine(child: ChildProcess, predicate: (line: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      const hit = lines.find(predicate);
      if (hit !== undefined) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve(hit);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`process exited (${code}) before it was ready`)));
  });
}

function stopper(child: ChildProcess): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    await once(child, 'exit');
  };
}

/** A redis-server of our own on a free port, nothing persisted; null when none is installed. */
async function startRedisServer(): Promise<{ url: string; stop: () => Promise<void> } | null> {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  const started = await new Promise<boolean>((resolve) => {
    child.once('error', () => resolve(false));
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString('utf8').includes('Ready to accept connections')) resolve(true);
    });
  });
  if (!started) {
    process.stderr.write('redis-server is not installed: the REDIS_URL row is left out\n');
    return null;
  }
  child.stdout.resume();
  return { url: `redis://127.0.0.1:${port}/0`, stop: stopper(child) };
}

/** A TypeScript bench script in its own Node process (tsx), stdout piped to us. */
function spawnScript(script: string, env: Record<string, string>, nodeArgs: string[]) {
  return spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

/** Runs a bench server script that prints `{"port": N}` once listening. */
async function startScript(script: string, env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<Proc> {
  const child = spawnScript(script, env, nodeArgs);
  const line = await firstLine(child, (l) => l.startsWith('{"port"'));
  const { port } = JSON.parse(line) as { port: number };
  return { child, url: `http://127.0.0.1:${port}`, stop: stopper(child) };
}

/** Runs a bench script to its end and returns the JSON object on the last line it printed. */
async function runToEnd<T>(script: string, nodeArgs: string[] = []): Promise<T> {
  const child = spawnScript(script, {}, nodeArgs);
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`${script} exited with ${code}`);
  return JSON.parse(out.trim().split('\n').pop() ?? '') as T;
}

const startUpstream = (delayMs: number, faultPercent = 0) =>
  startScript('bench/fake-upstream.ts', {
    BENCH_UPSTREAM_DELAY_MS: String(delayMs),
    BENCH_UPSTREAM_FAULT_PERCENT: String(faultPercent),
  });

async function startGateway(
  upstreamUrl: string,
  env: Record<string, string> = {},
  nodeArgs: string[] = START_FLAGS,
): Promise<Proc> {
  const port = await freePort();
  const args = [...nodeArgs, ...(PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : []), 'dist/main.js'];
  // Logs go to a file, not a pipe: stdout pipes are synchronous on Linux, and a busy benchmark
  // process draining one would stall the gateway and measure our reading, not the gateway.
  mkdirSync(LOG_DIR, { recursive: true });
  const log = openSync(`${LOG_DIR}/gateway-${port}.log`, 'w');
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      LLAMA_CLOUD_API_KEY: UPSTREAM_KEY,
      LLAMA_CLOUD_BASE_URL: upstreamUrl,
      HOST: '127.0.0.1',
      PORT: String(port),
      // As deployed: production mode, one info log line per request, metrics, operation limits,
      // CSRF, and rate limiting on, with a limit the single load-generator address never reaches.
      NODE_ENV: 'production',
      AUTH_MODE: 'none',
      RATE_LIMIT_PER_MINUTE: '1000000',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', log, 'inherit'],
  });
  closeSync(log);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i += 1) {
    if (child.exitCode !== null) throw new Error('the gateway exited before it was ready');
    if (
      await fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (i > 200) throw new Error('the gateway did not become ready within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { child, url, stop: stopper(child) };
}

interface Load {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  /** CPU the serving processes spent per request (all their threads, garbage collection included). */
  cpuUs: number;
}

/** Kernel clock ticks per second, the unit of CPU times in /proc (100 on Linux almost everywhere). */
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** User and system CPU a process has used so far, in microseconds; NaN without Linux's /proc. */
function cpuUsOf(pid: number | undefined): number {
  if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return Number.NaN;
  // The command name in parentheses may hold spaces: count fields after it.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
}

/** Load on one side of a comparison, and the processes that serve it (whose CPU is counted). */
interface Side {
  load: autocannon.Options;
  servers: Proc[];
}

async function load(options: autocannon.Options, servers: Proc[] = []): Promise<Load> {
  const cpu = () => servers.reduce((sum, server) => sum + cpuUsOf(server.child.pid), 0);
  const cpuBefore = cpu();
  const result = await autocannon({ connections: CONNECTIONS, duration: DURATION_S, ...options });
  const cpuUs = cpu() - cpuBefore;
  if (result.errors > 0 || result.non2xx > 0) {
    throw new Error(`${options.url}: ${result.errors} errors, ${result.non2xx} non-2xx responses`);
  }
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    cpuUs: cpuUs / Math.max(1, result.requests.total),
  };
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

interface Comparison {
  /** The round whose baseline rate was the median one, and likewise for the measured side. */
  baseline: Load;
  measured: Load;
  /** Median over the rounds of measured/baseline requests per second. */
  ratio: number;
}

/** Baseline and measured load, alternated slice by slice so both see the same machine. */
async function compare(baseline: Side, measured: Side): Promise<Comparison> {
  const [base, other] = await compareMany([baseline, measured]);
  return { baseline: base?.typical as Load, measured: other?.typical as Load, ratio: other?.ratio ?? Number.NaN };
}

interface SideResult {
  /** The round of median rate, with the median CPU per request of all rounds. */
  typical: Load;
  /** Median over the rounds of this side's rate over the first side's. */
  ratio: number;
  /** Median over the rounds of this side's p99 over the first side's. */
  p99Ratio: number;
}

/** Several sides, each round running every side once in turn, so all see the same machine. */
async function compareMany(sides: Side[]): Promise<SideResult[]> {
  const runs: Load[][] = sides.map(() => []);
  // Measured from cold, a side's first rounds are its JIT compiling (the gateway has more code to
  // compile than the references, and read about 0.75 of its later rate in the same run). And a
  // side idle while the others ran has let V8 shrink its young generation.
  if (WARMUP_S > 0) for (const side of sides) await load({ ...side.load, duration: WARMUP_S }, side.servers);
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [i, side] of sides.entries()) {
      if (LEAD_IN_S > 0) await load({ ...side.load, duration: LEAD_IN_S }, side.servers);
      runs[i]?.push(await load({ ...side.load, duration: SLICE_S }, side.servers));
    }
  }
  const typical = (loads: Load[]): Load => {
    const rate = median(loads.map((r) => r.rps));
    const round = loads.reduce((best, r) => (Math.abs(r.rps - rate) < Math.abs(best.rps - rate) ? r : best));
    return { ...round, cpuUs: median(loads.map((r) => r.cpuUs)) };
  };
  const first = runs[0] ?? [];
  return runs.map((loads) => ({
    typical: typical(loads),
    ratio: median(loads.map((l, i) => l.rps / (first[i]?.rps ?? Number.NaN))),
    p99Ratio: median(loads.map((l, i) => l.p99 / Math.max(1, first[i]?.p99 ?? Number.NaN))),
  }));
}

const describeLoad = (label: string, run: Load) =>
  `${label}: ${fmt(run.rps)} req/s, p50 ${run.p50} ms, p99 ${run.p99} ms` +
  (Number.isNaN(run.cpuUs) ? '' : `, ${fmt(run.cpuUs)} µs of server CPU per request`);

const graphqlPost = (url: string, body: string): autocannon.Options => ({
  url: `${url}/graphql`,
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body,
});

/** The gateway's answer to a benchmark query, as sent; fails the run when it holds errors. */
async function answerOf(gatewayUrl: string, body: string): Promise<string> {
  const res = await fetch(`${gatewayUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  const text = await res.text();
  const { errors } = JSON.parse(text) as { errors?: unknown };
  if (errors) throw new Error(`the benchmark query failed: ${JSON.stringify(errors)}`);
  return text;
}

/** Fails the run when the gateway answers the benchmark query with errors instead of data. */
async function checkAnswers(gatewayUrl: string, body: string): Promise<void> {
  await answerOf(gatewayUrl, body);
}

/** How many requests the gateway has answered with an identical query's result. */
async function sharedExecutions(gateway: Proc): Promise<number> {
  const text = await (await fetch(`${gateway.url}/metrics`)).text();
  return Number(/^gateway_graphql_shared_executions_total (\S+)$/m.exec(text)?.[1] ?? '0');
}

async function served(upstream: Proc): Promise<number> {
  const res = await fetch(`${upstream.url}/__stats`);
  return ((await res.json()) as { served: number }).served;
}

/** A counter of the gateway's /metrics, without labels. */
async function counter(gateway: Proc, name: string): Promise<number> {
  const text = await (await fetch(`${gateway.url}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? '0');
}

/**
 * Distinct pages for DURATION_S against a gateway whose upstream fails a share of calls: how many
 * client requests are answered with data, their p99, and the share of upstream calls the circuit
 * breaker did not make. The baseline is the same load on a healthy upstream, in the same run.
 */
async function faultRows(percents: number[]): Promise<string[]> {
  const run = async (faultPercent: number) => {
    const upstream = await startUpstream(0, faultPercent);
    // A stall lasts until the upstream timeout: half a second here, so a run sees many of them.
    const gateway = await startGateway(upstream.url, { UPSTREAM_TIMEOUT_MS: '500' });
    let ok = 0;
    let total = 0;
    const result = await autocannon({
      ...graphqlPost(gateway.url, pageAt(0)),
      connections: CONNECTIONS,
      duration: DURATION_S,
      requests: distinctPages(
        (offset) => ({ body: pageAt(offset) }),
        (status, body) => {
          total += 1;
          if (status === 200 && !body.includes('"errors"')) ok += 1;
        },
      ),
    });
    const calls = await served(upstream);
    const shed = await counter(gateway, 'gateway_upstream_breaker_shed_total');
    await gateway.stop();
    await upstream.stop();
    return { result, succeeded: ok / Math.max(1, total), total, shedShare: shed / Math.max(1, calls + shed) };
  };
  const describe = (r: Awaited<ReturnType<typeof run>>) =>
    `${fmt(100 * r.succeeded, 1)}% of ${r.total} requests answered with data, p99 ${r.result.latency.p99} ms, ${fmt(r.result.requests.average)} req/s, ${fmt(100 * r.shedShare, 1)}% of upstream calls shed by the breaker`;
  const healthy = await run(0);
  const rows: string[] = [];
  for (const percent of percents) {
    const failing = await run(percent);
    rows.push(
      `| faults: ${percent} % of upstream calls fail (503, reset, stall past a 500 ms timeout, truncated JSON), a different page per request | healthy upstream: ${describe(healthy)} | ${percent} % failing: ${describe(failing)} | **${fmt(100 * failing.succeeded, 1)}%** of client requests succeed |`,
    );
  }
  return rows;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? '0');
  return kb / 1024;
}

const fmt = (n: number, digits = 0) => n.toFixed(digits);

/** Every request asks a different page (offset 0, 1, 2, ...), so nothing can be shared. */
function distinctPages(
  make: (offset: number) => Partial<autocannon.Request>,
  onResponse?: autocannon.Request['onResponse'],
): autocannon.Options['requests'] {
  let next = 0;
  return [
    {
      setupRequest: (request) => {
        next = (next + 1) % PAGE_OFFSETS;
        return { ...request, ...make(next) };
      },
      ...(onResponse ? { onResponse } : {}),
    },
  ];
}

async function memoryRun(label: string, nodeArgs: string[]): Promise<string> {
  const upstream = await startUpstream(0);
  const gateway = await startGateway(upstream.url, {}, nodeArgs);
  const pid = gateway.child.pid ?? 0;
  await checkAnswers(gateway.url, listQuery(20));
  const atStart = rssMb(pid);
  const samples: number[] = [];
  const sampler = setInterval(() => samples.push(rssMb(pid)), 1000);
  const run = await load({ ...graphqlPost(gateway.url, listQuery(20)), duration: MEMORY_S });
  clearInterval(sampler);
  const atEnd = rssMb(pid);
  await gateway.stop();
  await upstream.stop();
  const half = Math.floor(samples.length / 2);
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const firstHalf = avg(samples.slice(0, half));
  const secondHalf = avg(samples.slice(half));
  return `| memory, ${MEMORY_S} s at full load (limit 20), ${label} | RSS at start ${fmt(atStart)} MB, after the run ${fmt(atEnd)} MB, peak ${fmt(Math.max(...samples))} MB, ${fmt(run.rps)} req/s | first half avg ${fmt(firstHalf)} MB, second half avg ${fmt(secondHalf)} MB | second/first half **${fmt(secondHalf / firstHalf, 3)}** |`;
}

/** Overhead: the same page straight from the upstream and through the gateway, and the floors. */
async function overheadRows(): Promise<string[]> {
  const rows: string[] = [];
  const upstream = await startUpstream(0);
  const gateway = await startGateway(upstream.url);
  const row = (scenario: string, baseline: string, measured: string, { baseline: b, measured: m, ratio }: Comparison) =>
    `| ${scenario} | ${describeLoad(baseline, b)} | ${describeLoad(measured, m)} | **${fmt(ratio, 2)}** of ${baseline} |`;
  // A side's CPU is its server's, and for a gateway the upstream's too: the work it causes there.
  const directPage = (limit: number): Side => ({
    load: { url: `${upstream.url}/api/v1/beta/batch-processing?limit=${limit}&offset=0` },
    servers: [upstream],
  });
  const through = (server: Proc, body: string): Side => ({
    load: graphqlPost(server.url, body),
    servers: [server, upstream],
  });
  /** A server that answers on its own, with no upstream (bare Yoga). */
  const alone = (server: Proc, body: string): Side => ({ load: graphqlPost(server.url, body), servers: [server] });
  /** A gateway asked a different page of 20 by every request. */
  const gatewayPages = (server: Proc): Side => ({
    load: {
      ...graphqlPost(server.url, listQuery(20)),
      requests: distinctPages((offset) => ({ body: pageAt(offset) })),
    },
    servers: [server, upstream],
  });
  for (const limit of [20, 1000]) {
    await checkAnswers(gateway.url, listQuery(limit));
    await checkAnswers(gateway.url, pageAt(PAGE_OFFSETS - 1));
    const same = await compare(directPage(limit), through(gateway, listQuery(limit)));
    rows.push(row(`overhead, limit ${limit}`, 'direct REST', 'gateway', same));
    if (limit !== 20) continue;
    // How that crowd was served: requests answered per execution (one upstream call each), and
    // how many of them joined an identical query's execution at its parameters.
    const servedBefore = await served(upstream);
    const joinedBefore = await sharedExecutions(gateway);
    const sharing = await load({ ...graphqlPost(gateway.url, listQuery(20)), duration: SLICE_S });
    const executions = Math.max(1, (await served(upstream)) - servedBefore);
    const joined = (await sharedExecutions(gateway)) - joinedBefore;
    rows.push(
      `| overhead, limit 20: how the gateway served it (one ${SLICE_S} s slice) | ${sharing.requests} client requests | ${executions} executions, each with one upstream call; ${joined} requests (${fmt((100 * joined) / sharing.requests)}%) answered with an identical query's result, which they joined at its parameters | **${fmt(sharing.requests / executions, 1)}** client requests per execution |`,
    );
    // Every request a different page: no shared execution, no coalescing; the per-request cost.
    const distinct = await compare(
      {
        load: {
          url: upstream.url,
          requests: distinctPages((offset) => ({ path: `/api/v1/beta/batch-processing?limit=20&offset=${offset}` })),
        },
        servers: [upstream],
      },
      gatewayPages(gateway),
    );
    rows.push(
      row('overhead, limit 20, a different page per request (nothing shared)', 'direct REST', 'gateway', distinct),
    );
    // What the pretenuring flag of `npm start` is worth, on the row where every request executes.
    if (START_FLAGS.includes(NO_PRETENURING)) {
      const plain = await startGateway(
        upstream.url,
        {},
        START_FLAGS.filter((flag) => flag !== NO_PRETENURING),
      );
      await checkAnswers(plain.url, pageAt(PAGE_OFFSETS - 1));
      const pretenuring = await compare(gatewayPages(plain), gatewayPages(gateway));
      await plain.stop();
      rows.push(
        row(
          `V8 flag: a different page per request, as started vs without \`${NO_PRETENURING}\``,
          `gateway without ${NO_PRETENURING}`,
          'gateway as started',
          pretenuring,
        ),
      );
    }
    // What the fast path (src/sharing/fast-path.ts) is worth: the one path around Yoga, measured
    // where it matters, a known document with a different page per request.
    const yogaOnly = await startGateway(upstream.url, { FAST_PATH: 'false' });
    await checkAnswers(yogaOnly.url, pageAt(PAGE_OFFSETS - 1));
    const fastPath = await compare(gatewayPages(yogaOnly), gatewayPages(gateway));
    await yogaOnly.stop();
    rows.push(
      row(
        'the fast path: a different page per request of a known document, as started vs `FAST_PATH=false`',
        'gateway with FAST_PATH=false',
        'gateway as started',
        fastPath,
      ),
    );
    // The opt-in micro-cache: identical queries get a finished result while its upstream answer
    // is fresh, instead of each crowd executing again.
    const cached = await startGateway(upstream.url, { UPSTREAM_CACHE_TTL_MS: String(MICRO_CACHE_MS) });
    await checkAnswers(cached.url, listQuery(20));
    const microCache = await compare(directPage(20), through(cached, listQuery(20)));
    await cached.stop();
    rows.push(
      row(
        `overhead, limit 20, with the optional micro-cache (UPSTREAM_CACHE_TTL_MS=${MICRO_CACHE_MS})`,
        'direct REST',
        'gateway',
        microCache,
      ),
    );
    // The floor: a GraphQL request that needs no upstream call at all, against the same baseline.
    const typename = JSON.stringify({ query: '{ __typename }' });
    const floor = await compare(directPage(20), through(gateway, typename));
    rows.push(row('floor: `{ __typename }`, no upstream call', 'direct REST (limit 20)', 'gateway', floor));
    // The framework's floor: bare Yoga, same schema, no plugins (what the gateway's safety costs).
    const bare = await startScript('bench/bare-yoga.ts', {}, START_FLAGS);
    const bareFloor = await compare(directPage(20), alone(bare, typename));
    await bare.stop();
    rows.push(
      row(
        'framework floor: `{ __typename }` on bare graphql-yoga, same schema, no plugins',
        'direct REST (limit 20)',
        'bare Yoga',
        bareFloor,
      ),
    );
    // The framework's floor for the page itself: bare Yoga sending the gateway's own limit-20
    // answer from memory, with no execution and no plugins (a follower of the gateway's cost).
    const answerFile = `${LOG_DIR}/page-answer.json`;
    writeFileSync(answerFile, await answerOf(gateway.url, listQuery(20)));
    const canned = await startScript('bench/bare-yoga.ts', { BENCH_CANNED_ANSWER: answerFile }, START_FLAGS);
    const bareCanned = await compare(directPage(20), alone(canned, listQuery(20)));
    await canned.stop();
    rows.push(
      row(
        'framework floor for the page: bare graphql-yoga sending the gateway’s limit-20 answer from memory (no execution, no plugins)',
        'direct REST',
        'bare Yoga',
        bareCanned,
      ),
    );
  }
  await gateway.stop();
  await upstream.stop();
  return rows;
}

/**
 * The traffic frontends send: every request a different page. The gateway against the
 * references measured in the same rounds: direct REST, a Node server with no GraphQL at all, and
 * bare Yoga with graphql-jit and undici (the framework's floor; the row's target).
 */
async function frontendRows(): Promise<string[]> {
  const rows: string[] = [];
  const upstream = await startUpstream(0);
  const env = { BENCH_UPSTREAM_URL: upstream.url };
  const bare = await startScript('bench/reference-yoga.ts', env, START_FLAGS);
  const node = await startScript('bench/reference-node.ts', env, START_FLAGS);
  const gateway = await startGateway(upstream.url);
  const pages = (server: Proc, make: (offset: number) => string, headers?: () => Record<string, string>): Side => ({
    load: {
      ...graphqlPost(server.url, make(0)),
      requests: distinctPages((offset) => ({
        body: make(offset),
        ...(headers ? { headers: { 'content-type': 'application/json', ...headers() } } : {}),
      })),
    },
    servers: [server, upstream],
  });
  const direct: Side = {
    load: {
      url: upstream.url,
      requests: distinctPages((offset) => ({ path: `/api/v1/beta/batch-processing?limit=20&offset=${offset}` })),
    },
    servers: [upstream],
  };
  for (const server of [bare, node, gateway]) await checkAnswers(server.url, pageAt(7));
  const [viaDirect, viaNode, viaBare, viaGateway] = await compareMany([
    direct,
    pages(node, pageAt),
    pages(bare, pageAt),
    pages(gateway, pageAt),
  ]);
  const against = (side: SideResult | undefined, base: SideResult | undefined) =>
    fmt((side?.ratio ?? Number.NaN) / (base?.ratio ?? Number.NaN), 2);
  const sides = (entries: Array<[string, SideResult | undefined]>) =>
    entries.map(([label, side]) => (side ? describeLoad(label, side.typical) : '')).join('; ');
  rows.push(
    `| **a different page per request, \`$offset\` variable** (what a frontend sends; limit 20, 17 fields) | ${sides([
      ['bare Yoga + graphql-jit + undici', viaBare],
      ['direct REST', viaDirect],
      ['node:http + undici, no GraphQL', viaNode],
    ])} | ${describeLoad('gateway', viaGateway?.typical as Load)}; of direct REST: gateway ${fmt(viaGateway?.ratio ?? Number.NaN, 2)}, bare Yoga ${fmt(viaBare?.ratio ?? Number.NaN, 2)}, no GraphQL ${fmt(viaNode?.ratio ?? Number.NaN, 2)} | **${against(viaGateway, viaBare)}** of bare Yoga (p99 ${fmt((viaGateway?.typical.p99 ?? 0) / Math.max(1, viaBare?.typical.p99 ?? 0), 2)}× bare Yoga's) |`,
  );
  await node.stop();

  // The same traffic with a signed token per request, from 64 different users.
  const jwtGateway = await startGateway(upstream.url, { AUTH_MODE: 'jwt', JWT_SECRET });
  const secret = new TextEncoder().encode(JWT_SECRET);
  const tokens = await Promise.all(
    Array.from({ length: 64 }, (_, i) =>
      new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(`user-${i}`).setExpirationTime('2h').sign(secret),
    ),
  );
  let nextToken = 0;
  const authorization = () => ({ authorization: `Bearer ${tokens[(nextToken = (nextToken + 1) % tokens.length)]}` });
  const jwtHeaders = { 'content-type': 'application/json', ...authorization() };
  const jwtCheck = await fetch(`${jwtGateway.url}/graphql`, { method: 'POST', headers: jwtHeaders, body: pageAt(3) });
  if (!jwtCheck.ok) throw new Error(`the AUTH_MODE=jwt gateway refused the benchmark token: ${await jwtCheck.text()}`);
  const [jwtBare, jwtSide] = await compareMany([pages(bare, pageAt), pages(jwtGateway, pageAt, authorization)]);
  await jwtGateway.stop();
  rows.push(
    `| a different page per request, \`AUTH_MODE=jwt\` (an HS256 token per request, 64 users) | ${describeLoad('bare Yoga, no auth', jwtBare?.typical as Load)} | ${describeLoad('gateway', jwtSide?.typical as Load)} | **${fmt(jwtSide?.ratio ?? Number.NaN, 2)}** of bare Yoga |`,
  );

  // The same traffic with the rate limiter in a shared Redis (REDIS_URL), against the same gateway
  // without it: what sharing state across replicas costs each request.
  const redis = await startRedisServer();
  if (redis) {
    const shared = await startGateway(upstream.url, { REDIS_URL: redis.url });
    await checkAnswers(shared.url, pageAt(4));
    const [local, viaRedis] = await compareMany([pages(gateway, pageAt), pages(shared, pageAt)]);
    await shared.stop();
    await redis.stop();
    rows.push(
      `| a different page per request, \`REDIS_URL\` set (the rate limit in Redis) | ${describeLoad('gateway, in-process state', local?.typical as Load)} | ${describeLoad('gateway with Redis', viaRedis?.typical as Load)} | **${fmt(viaRedis?.ratio ?? Number.NaN, 2)}** of the gateway without Redis |`,
    );
  }

  // A new document every request: the offset written into the query text.
  await checkAnswers(gateway.url, pageInText(5));
  const [textBare, textGateway] = await compareMany([pages(bare, pageInText), pages(gateway, pageInText)]);
  rows.push(
    `| a different page per request, offset in the query text (a new document each time) | ${describeLoad('bare Yoga', textBare?.typical as Load)} | ${describeLoad('gateway', textGateway?.typical as Load)} | **${fmt(textGateway?.ratio ?? Number.NaN, 2)}** of bare Yoga |`,
  );
  await bare.stop();
  await gateway.stop();

  // Big pages: a different page of 1000 per request, 8 connections; the gateway's peak memory.
  const big = await startGateway(upstream.url);
  const pid = big.child.pid ?? 0;
  await checkAnswers(big.url, bigPageAt(1));
  let peak = rssMb(pid);
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 200);
  const bigLoad = await load({ ...pages(big, bigPageAt).load, connections: 8, duration: DURATION_S }, [big, upstream]);
  clearInterval(sampler);
  await big.stop();
  await upstream.stop();
  rows.push(
    `| limit 1000, a different page per request, 8 connections | no errors, ${bigLoad.requests} requests | ${describeLoad('gateway', bigLoad)} | RSS peak **${fmt(peak)} MB** |`,
  );
  return rows;
}

/**
 * What traces cost on the frontend row (a different page per request): the gateway exporting every
 * request's spans (OTLP over HTTP, protobuf, to a sink process), and one in ten, against the same
 * gateway without an endpoint (tracing off), measured in the same rounds.
 */
async function tracingRows(): Promise<string[]> {
  const upstream = await startUpstream(0);
  const sink = await startScript('bench/otlp-sink.ts');
  const traced = (ratio: string) =>
    startGateway(upstream.url, {
      OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
      OTEL_SERVICE_NAME: 'bench-gateway',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: ratio,
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
    });
  const off = await startGateway(upstream.url);
  const all = await traced('1');
  const tenth = await traced('0.1');
  for (const server of [off, all, tenth]) await checkAnswers(server.url, pageAt(9));
  const side = (server: Proc): Side => ({
    load: { ...graphqlPost(server.url, pageAt(0)), requests: distinctPages((offset) => ({ body: pageAt(offset) })) },
    // The sink's work is the tracing backend's, not the gateway's: it is not counted.
    servers: [server, upstream],
  });
  const [base, every, some] = await compareMany([side(off), side(all), side(tenth)]);
  const exported = (await (await fetch(`${sink.url}/__stats`)).json()) as { exports: number };
  for (const server of [off, all, tenth, sink, upstream]) await server.stop();
  if (exported.exports === 0) throw new Error('the traced gateways exported no spans');
  return [
    `| a different page per request, tracing on, every request sampled (OTLP/HTTP to a sink) | ${describeLoad('gateway, tracing off', base?.typical as Load)} | ${describeLoad('gateway, all traced', every?.typical as Load)} | **${fmt(every?.ratio ?? Number.NaN, 2)}** of tracing off |`,
    `| the same, 10 % of traces sampled | ${describeLoad('gateway, tracing off', base?.typical as Load)} | ${describeLoad('gateway, 10 % traced', some?.typical as Load)} | **${fmt(some?.ratio ?? Number.NaN, 2)}** of tracing off |`,
  ];
}

/** The execution of a page alone, in-process: compiled queries against the generic executor. */
async function executionRow(): Promise<string> {
  const execution = await runToEnd<{ compiled: number[]; generic: number[] }>('bench/execution.ts', START_FLAGS);
  const executionRatio = median(execution.compiled.map((c, i) => c / (execution.generic[i] ?? Number.NaN)));
  return `| executing a page in-process (limit 20, no HTTP, upstream answered from memory), compiled query | generic executor: ${fmt(median(execution.generic))} µs of CPU per request | compiled (graphql-jit): ${fmt(median(execution.compiled))} µs of CPU per request | **${fmt(executionRatio, 2)}** of the generic executor's CPU |`;
}

/**
 * The fleet: three replicas sharing one Redis with the micro-cache on, 200 connections spread over
 * them, one query, an upstream that takes 50 ms. How many upstream calls each client request costs.
 */
async function fleetRow(): Promise<string | null> {
  const redis = await startRedisServer();
  if (!redis) return null;
  const slow = await startUpstream(50);
  const env = { REDIS_URL: redis.url, UPSTREAM_CACHE_TTL_MS: String(MICRO_CACHE_MS) };
  const replicas = await Promise.all([0, 1, 2].map(() => startGateway(slow.url, env)));
  for (const replica of replicas) await checkAnswers(replica.url, listQuery(20));
  const before = await served(slow);
  const crowds = await Promise.all(
    replicas.map((replica, i) =>
      load({ ...graphqlPost(replica.url, listQuery(20)), connections: i === 0 ? 68 : 66 }, [replica]),
    ),
  );
  const upstreamCalls = (await served(slow)) - before;
  for (const replica of replicas) await replica.stop();
  await slow.stop();
  await redis.stop();
  const requests = crowds.reduce((sum, crowd) => sum + crowd.requests, 0);
  const p99 = Math.max(...crowds.map((crowd) => crowd.p99));
  return `| fleet: three replicas sharing Redis, micro-cache on (${MICRO_CACHE_MS} ms), 200 connections over them, one query, upstream 50 ms | ${requests} client requests, ${upstreamCalls} upstream requests | client p99 ${p99} ms (worst replica), ${fmt(crowds.reduce((sum, crowd) => sum + crowd.rps, 0))} req/s in all | **${fmt(upstreamCalls / requests, 4)}** upstream per client request |`;
}

/** Coalescing: 200 clients, one identical query, an upstream that takes 50 ms. */
async function coalescingRow(): Promise<string> {
  const slow = await startUpstream(50);
  const coalescing = await startGateway(slow.url);
  await checkAnswers(coalescing.url, listQuery(20));
  const before = await served(slow);
  const crowd = await load({ ...graphqlPost(coalescing.url, listQuery(20)), connections: 200 });
  const upstreamCalls = (await served(slow)) - before;
  await coalescing.stop();
  await slow.stop();
  return `| coalescing, 200 connections, upstream 50 ms | ${crowd.requests} client requests, ${upstreamCalls} upstream requests | client p50 ${crowd.p50} ms, p99 ${crowd.p99} ms, ${fmt(crowd.rps)} req/s | **${fmt(upstreamCalls / crowd.requests, 4)}** upstream per client request |`;
}

async function main(): Promise<void> {
  if (PROFILE) mkdirSync(PROFILE_DIR, { recursive: true });
  const rows: string[] = [];
  const notes: string[] = [];

  if (selected('frontend')) rows.push(...(await frontendRows()));
  if (selected('tracing')) rows.push(...(await tracingRows()));
  if (selected('overhead')) rows.push(...(await overheadRows()));
  if (selected('execution')) rows.push(await executionRow());
  if (selected('coalescing')) rows.push(await coalescingRow());
  if (selected('fleet')) {
    const fleet = await fleetRow();
    if (fleet) rows.push(fleet);
  }

  // A partly and a wholly failing upstream: how much stays available, and what the breaker sheds.
  if (selected('faults')) rows.push(...(await faultRows([30, 100])));

  // Memory under a sustained full load: as `npm start` runs it, then with V8's defaults (which
  // let garbage pile up on a machine with plenty of memory) as the comparison.
  if (selected('memory')) {
    rows.push(await memoryRun(`as started (${START_FLAGS.join(' ') || 'no flags'})`, START_FLAGS));
    rows.push(await memoryRun('V8 defaults (no flags)', []));
  }

  if (PROFILE) {
    const files = readdirSync(PROFILE_DIR).filter((f) => f.endsWith('.cpuprofile'));
    for (const file of files.slice(0, 1)) notes.push(summarizeProfile(`${PROFILE_DIR}/${file}`, 15));
  }

  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${fmt(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const table = [
    `Measured ${new Date().toISOString()} on ${machine}; autocannon, ${CONNECTIONS} connections, everything on one machine. Overhead rows: each side warmed with ${WARMUP_S} s of its traffic, then ${ROUNDS} rounds of ${SLICE_S} s baseline then ${SLICE_S} s measured (each slice after ${LEAD_IN_S} s of unmeasured lead-in), median ratio, and the round of median rate for each side; server CPU is the user and system time of the processes serving a side (for a gateway, its upstream's too) per request, median over the rounds; coalescing ${DURATION_S} s.`,
    '',
    '| scenario | baseline | measured | ratio |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
  process.stdout.write(`\n${table}\n${notes.join('\n')}\n`);
  // A partial run (BENCH_ROWS) is printed only: bench/results.md keeps the last whole table.
  if (ROW_GROUPS.every(selected)) writeFileSync(`${ROOT}bench/results.md`, `# Benchmark results\n\n${table}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
