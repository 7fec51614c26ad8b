/**
 * The embedded demo upstream: a small LlamaCloud look-alike on a loopback port, so `npm start`
 * without an API key gives a working GraphiQL at once. It speaks the documented wire format
 * (snake_case, FastAPI-style errors) and checks a bearer key like the real API, with a key made up
 * at start that never leaves this process.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BATCH_JOB_STATUSES, BATCH_JOB_TYPES } from '../upstream/wire.js';
import { advanceDemoJobs, arrivingJob, demoItems, generateDemoJobs, type DemoJob } from './jobs.js';
import { intParam, send, type Problem } from './answers.js';
import { batchId, batchStatus, handleV2, settleCancels } from './upstream-v2.js';

export interface DemoUpstream {
  /** Base URL to give the gateway, e.g. `http://127.0.0.1:43123`. */
  url: URL;
  /** The key the demo upstream accepts. */
  apiKey: string;
  jobs: DemoJob[];
  close(): Promise<void>;
  /** A made-up signing secret for the demo's webhooks (the gateway's, unless one is configured). */
  webhookSecret: string;
  /**
   * From now on, every second, POSTs a signed batch webhook to `url` for each job whose status
   * changed, as LlamaCloud does, naming the job as `generation` of the batch API does; stops with
   * `close`.
   */
  sendWebhooks(url: URL, secret: string, generation?: 'v1' | 'v2'): void;
}

const PREFIX = '/api/v1/beta/batch-processing';
export const DEMO_JOB_COUNT = 300;

/** Starts the demo upstream on 127.0.0.1, on `port` (by default an ephemeral one). */
export async function startDemoUpstream(
  options: { jobCount?: number; now?: number; port?: number; apiKey?: string } = {},
): Promise<DemoUpstream> {
  const apiKey = options.apiKey ?? `demo-${randomBytes(16).toString('hex')}`;
  const jobCount = options.jobCount ?? DEMO_JOB_COUNT;
  const jobs = generateDemoJobs(jobCount, options.now ?? Date.now());
  const server = createServer((req, res) => {
    // Bodies are small (a cancel reason, a create); read them whole (up to a bound), then answer.
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      try {
        advanceDemoJobs(jobs, Date.now(), jobCount);
        settleCancels(jobs, Date.now());
        handle(req, res, jobs, apiKey, size <= MAX_BODY_BYTES ? Buffer.concat(chunks).toString('utf8') : null);
      } catch {
        send(res, 500, { detail: 'Internal Server Error' });
      }
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  let webhookTimer: NodeJS.Timeout | undefined;
  return {
    url: new URL(`http://127.0.0.1:${port}`),
    apiKey,
    jobs,
    webhookSecret: `demo-whsec-${randomBytes(16).toString('hex')}`,
    sendWebhooks(url, secret, generation = 'v1') {
      const sent = new Map<string, string>();
      // LlamaCloud's batch events are status changes (pending, running, success, error), not progress.
      const stateOf = (job: DemoJob) => job.status;
      for (const job of jobs) sent.set(job.id, stateOf(job));
      webhookTimer = setInterval(() => {
        advanceDemoJobs(jobs, Date.now(), jobCount);
        settleCancels(jobs, Date.now());
        for (const job of jobs) {
          const state = stateOf(job);
          if (sent.get(job.id) === state) continue;
          sent.set(job.id, state);
          // v2 has no classify batches, so no events about them either.
          if (generation === 'v2' && job.job_type === 'classify') continue;
          const body = JSON.stringify(
            generation === 'v2'
              ? { event: V2_EVENTS[job.status], batch_id: batchId(job), status: batchStatus(job) }
              : { event: `batch.${job.status}`, batch_id: job.id, status: job.status.toUpperCase() },
          );
          const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
          // As LlamaCloud's deliveries: fire and forget here (LlamaCloud retries; the demo need not).
          fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'lc-signature': signature },
            body,
          }).then(
            (res) => res.body?.cancel(),
            () => undefined,
          );
        }
      }, WEBHOOK_TICK_MS);
      webhookTimer.unref();
    },
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(webhookTimer);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** v2's event names (`batch.success` for COMPLETED, `batch.error` for FAILED); THROTTLED has none. */
const V2_EVENTS: Record<DemoJob['status'], string> = {
  pending: 'batch.pending',
  dispatched: 'batch.pending',
  running: 'batch.running',
  completed: 'batch.success',
  failed: 'batch.error',
  cancelled: 'batch.cancelled',
};

/** How often the demo looks for changed jobs to send webhooks about. */
const WEBHOOK_TICK_MS = 1000;

/** Largest request body the demo reads. */
const MAX_BODY_BYTES = 1024 * 1024;

function handle(req: IncomingMessage, res: ServerResponse, jobs: DemoJob[], apiKey: string, body: string | null): void {
  if (req.headers.authorization !== `Bearer ${apiKey}`) {
    send(res, 401, { detail: 'Invalid or missing API key' });
    return;
  }
  const url = new URL(req.url ?? '/', 'http://demo');
  if (handleV2(req.method ?? 'GET', url, res, jobs, body)) return;
  if (req.method === 'GET' && url.pathname === PREFIX) {
    list(res, jobs, url.searchParams);
    return;
  }
  if (req.method === 'POST' && url.pathname === PREFIX) {
    create(res, jobs, body);
    return;
  }
  const [rawId, action, ...rest] = url.pathname.startsWith(`${PREFIX}/`)
    ? url.pathname.slice(PREFIX.length + 1).split('/')
    : [];
  const job = rawId === undefined ? undefined : jobs.find((j) => j.id === decodeURIComponent(rawId));
  if (rawId !== undefined && rest.length === 0) {
    if (!job) {
      send(res, 404, { detail: 'Batch job not found' });
    } else if (req.method === 'GET' && action === undefined) {
      send(res, 200, { job, progress_percentage: progressOf(job) });
    } else if (req.method === 'GET' && action === 'items') {
      listItems(res, job, url.searchParams);
    } else if (req.method === 'POST' && action === 'cancel') {
      cancel(res, job);
    } else {
      send(res, 405, { detail: 'Method Not Allowed' });
    }
    return;
  }
  send(res, 404, { detail: 'Not Found' });
}

/** `POST /api/v1/beta/batch-processing`: a new pending job over the directory (or items) given. */
function create(res: ServerResponse, jobs: DemoJob[], body: string | null): void {
  let parsed: { job_config?: { job_type?: unknown }; directory_id?: unknown; item_ids?: unknown } = {};
  try {
    parsed = JSON.parse(body ?? '') as typeof parsed;
  } catch {
    send(res, 422, { detail: [{ loc: ['body'], msg: 'Invalid JSON', type: 'json_invalid' }] });
    return;
  }
  const type = parsed.job_config?.job_type;
  if (type !== 'parse' && type !== 'classify') {
    send(res, 422, {
      detail: [{ loc: ['body', 'job_config'], msg: 'Input should be a parse or classify config', type: 'union' }],
    });
    return;
  }
  const items = Array.isArray(parsed.item_ids) ? parsed.item_ids.length : 0;
  if (typeof parsed.directory_id !== 'string' && items === 0) {
    send(res, 422, { detail: [{ loc: ['body'], msg: 'Give directory_id or item_ids', type: 'value_error' }] });
    return;
  }
  const job = arrivingJob(Date.now(), jobs.length + 7919);
  job.job_type = type;
  if (typeof parsed.directory_id === 'string') job.directory_id = parsed.directory_id;
  if (items > 0) job.total_items = items;
  jobs.unshift(job);
  send(res, 200, job);
}

function list(res: ServerResponse, jobs: DemoJob[], query: URLSearchParams): void {
  const problems: Problem[] = [];
  const limit = intParam(query, 'limit', 50, 1, 1000, problems);
  const offset = intParam(query, 'offset', 0, 0, Number.MAX_SAFE_INTEGER, problems);
  const jobType = query.get('job_type');
  if (jobType !== null && !(BATCH_JOB_TYPES as readonly string[]).includes(jobType)) {
    problems.push({ loc: ['query', 'job_type'], msg: `Input should be ${BATCH_JOB_TYPES.join(', ')}`, type: 'enum' });
  }
  const status = query.get('status');
  if (status !== null && !(BATCH_JOB_STATUSES as readonly string[]).includes(status)) {
    problems.push({ loc: ['query', 'status'], msg: `Input should be ${BATCH_JOB_STATUSES.join(', ')}`, type: 'enum' });
  }
  if (problems.length > 0) {
    send(res, 422, { detail: problems });
    return;
  }
  const directory = query.get('directory_id');
  const project = query.get('project_id');
  const matching = jobs.filter(
    (job) =>
      (jobType === null || job.job_type === jobType) &&
      (status === null || job.status === status) &&
      (directory === null || job.directory_id === directory) &&
      (project === null || job.project_id === project),
  );
  const items = matching.slice(offset, offset + limit);
  send(res, 200, {
    items,
    next_page_token:
      offset + items.length < matching.length ? Buffer.from(String(offset + limit)).toString('base64') : null,
    total_size: matching.length,
  });
}

function listItems(res: ServerResponse, job: DemoJob, query: URLSearchParams): void {
  const problems: Problem[] = [];
  const limit = intParam(query, 'limit', 50, 1, 1000, problems);
  const offset = intParam(query, 'offset', 0, 0, Number.MAX_SAFE_INTEGER, problems);
  if (problems.length > 0) {
    send(res, 422, { detail: problems });
    return;
  }
  const status = query.get('status');
  const matching = demoItems(job).filter((item) => status === null || item.status === status);
  send(res, 200, { items: matching.slice(offset, offset + limit), total_size: matching.length });
}

function cancel(res: ServerResponse, job: DemoJob): void {
  if (job.status === 'completed' || job.status === 'failed' || job.status === 'cancelled') {
    send(res, 400, { detail: `Job ${job.id} is already ${job.status} and cannot be cancelled` });
    return;
  }
  const now = new Date().toISOString();
  job.status = 'cancelled';
  job.completed_at = now;
  job.updated_at = now;
  send(res, 200, {
    job_id: job.id,
    message: 'Job cancelled',
    processed_items: job.processed_items,
    status: job.status,
  });
}

export function progressOf(job: DemoJob): number {
  if (job.total_items === 0) return 0;
  const done = job.processed_items + job.failed_items + job.skipped_items;
  return Math.min(100, Math.round((done / job.total_items) * 10_000) / 100);
}
