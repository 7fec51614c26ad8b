/**
 * The demo upstream's batch API v2 (`/api/v2/batches`), over the same demo jobs as v1, so
 * `LLAMA_CLOUD_BATCH_API=v2 npm start` without a key shows v2 batches: UPPERCASE statuses
 * (a v1 job waiting for a worker shows as THROTTLED), `parse_v2`/`extract_v2` (v2 has no classify
 * batches, so those jobs are not in it), page tokens, `expand=results`, asynchronous cancel and
 * create. Batch ids are the v1 ids with `bat-` for `bjb-`.
 */
import type { ServerResponse } from 'node:http';
import { intParam, send, type Problem } from './answers.js';
import { arrivingJob, demoItems, type DemoJob } from './jobs.js';

export const V2_PREFIX = '/api/v2/batches';
/** How long a cancelled demo batch keeps running before it is CANCELLED (v2 cancels asynchronously). */
export const CANCEL_SETTLE_MS = 1500;

const STATUS_OF: Record<DemoJob['status'], string> = {
  pending: 'PENDING',
  dispatched: 'THROTTLED',
  running: 'RUNNING',
  completed: 'COMPLETED',
  failed: 'FAILED',
  cancelled: 'CANCELLED',
};
const V2_STATUSES = new Set(Object.values(STATUS_OF));
const PRESETS: Record<string, string> = { parse: 'cfg-PARSE_AGENTIC', extract: 'cfg-EXTRACT_DEFAULT' };

/** The configuration a v2-created batch was given (others have their type's preset). */
const configurationOf = new WeakMap<DemoJob, string>();
/** When a cancel was asked for, for batches not yet CANCELLED. */
const cancelAsked = new WeakMap<DemoJob, number>();

export const batchId = (job: DemoJob): string => job.id.replace(/^bjb-/, 'bat-');
/** The status of a demo job as v2 names it. */
export const batchStatus = (job: DemoJob): string => STATUS_OF[job.status];
const inV2 = (job: DemoJob): boolean => job.job_type !== 'classify';

/** A demo job as v2 sends it; with its results when `expand=results` asked for them. */
export function batchOf(job: DemoJob, withResults: boolean): Record<string, unknown> {
  const batch: Record<string, unknown> = {
    id: batchId(job),
    config: {
      job: { type: `${job.job_type}_v2`, configuration_id: configurationOf.get(job) ?? PRESETS[job.job_type] },
    },
    project_id: job.project_id,
    source_directory_id: job.directory_id,
    status: STATUS_OF[job.status],
    created_at: job.created_at,
    updated_at: job.updated_at,
  };
  if (withResults) {
    // LlamaCloud lists results once the batch maps its files: none while it waits.
    batch.results =
      job.status === 'pending' || job.status === 'dispatched'
        ? null
        : demoItems(job).map((item) => ({
            source_directory_file_id: `dfl-${item.item_id.slice(4)}`,
            job_reference:
              item.status === 'skipped'
                ? null
                : { id: `${job.job_type === 'parse' ? 'pjb' : 'ejb'}-${item.item_id.slice(4)}`, type: job.job_type },
            error_message: item.status === 'skipped' ? 'The file type is not supported for this job' : null,
          }));
  }
  return batch;
}

/** Ends the cancels asked for long enough ago, as LlamaCloud does once a batch's files stop. */
export function settleCancels(jobs: DemoJob[], now: number): void {
  for (const job of jobs) {
    const asked = cancelAsked.get(job);
    if (asked === undefined || now - asked < CANCEL_SETTLE_MS) continue;
    cancelAsked.delete(job);
    if (job.status === 'completed' || job.status === 'failed' || job.status === 'cancelled') continue;
    job.status = 'cancelled';
    job.completed_at = job.updated_at = new Date(now).toISOString();
  }
}

/** Answers a v2 request; false when the path is not v2's. */
export function handleV2(method: string, url: URL, res: ServerResponse, jobs: DemoJob[], body: string | null): boolean {
  if (url.pathname !== V2_PREFIX && !url.pathname.startsWith(`${V2_PREFIX}/`)) return false;
  if (url.pathname === V2_PREFIX) {
    if (method === 'GET') list(res, jobs, url.searchParams);
    else if (method === 'POST') create(res, jobs, body);
    else send(res, 405, { detail: 'Method Not Allowed' });
    return true;
  }
  const [rawId, action, ...rest] = url.pathname.slice(V2_PREFIX.length + 1).split('/');
  const job = jobs.find((j) => inV2(j) && batchId(j) === decodeURIComponent(rawId ?? ''));
  if (rest.length > 0 || (action !== undefined && action !== 'cancel')) {
    send(res, 404, { detail: 'Not Found' });
  } else if (!job) {
    send(res, 404, { detail: 'Batch not found' });
  } else if (action === undefined && method === 'GET') {
    const expand = url.searchParams.getAll('expand');
    if (expand.some((value) => value !== 'results')) {
      send(res, 422, { detail: [{ loc: ['query', 'expand'], msg: "Input should be 'results'", type: 'enum' }] });
      return true;
    }
    send(res, 200, batchOf(job, expand.includes('results')));
  } else if (action === 'cancel' && method === 'POST') {
    if (job.status === 'completed' || job.status === 'failed' || job.status === 'cancelled') {
      send(res, 409, { detail: `Batch ${batchId(job)} is already ${STATUS_OF[job.status]} and cannot be cancelled` });
      return true;
    }
    if (!cancelAsked.has(job)) cancelAsked.set(job, Date.now());
    // Asynchronous: the batch as it stands; it becomes CANCELLED once its files stop.
    send(res, 200, batchOf(job, false));
  } else {
    send(res, 405, { detail: 'Method Not Allowed' });
  }
  return true;
}

function list(res: ServerResponse, jobs: DemoJob[], query: URLSearchParams): void {
  const problems: Problem[] = [];
  const size = intParam(query, 'page_size', 50, 1, 1000, problems);
  const token = query.get('page_token');
  const tokenStart = token === null ? null : /^o(\d{1,9})$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (token !== null && tokenStart === null) {
    problems.push({ loc: ['query', 'page_token'], msg: 'Invalid page token', type: 'value_error' });
  }
  const start = Number(tokenStart?.[1] ?? 0);
  const status = query.get('status');
  if (status !== null && !V2_STATUSES.has(status)) {
    problems.push({ loc: ['query', 'status'], msg: `Input should be ${[...V2_STATUSES].join(', ')}`, type: 'enum' });
  }
  const after = query.get('created_at_on_or_after');
  const before = query.get('created_at_on_or_before');
  for (const [name, value] of [
    ['created_at_on_or_after', after],
    ['created_at_on_or_before', before],
  ] as const) {
    if (value !== null && Number.isNaN(Date.parse(value))) {
      problems.push({ loc: ['query', name], msg: 'Input should be a valid datetime', type: 'datetime' });
    }
  }
  if (problems.length > 0) {
    send(res, 422, { detail: problems });
    return;
  }
  const directory = query.get('source_directory_id');
  const project = query.get('project_id');
  const matching = jobs.filter(
    (job) =>
      inV2(job) &&
      (status === null || STATUS_OF[job.status] === status) &&
      (directory === null || job.directory_id === directory) &&
      (project === null || job.project_id === project) &&
      (after === null || Date.parse(job.created_at) >= Date.parse(after)) &&
      (before === null || Date.parse(job.created_at) <= Date.parse(before)),
  );
  const page = matching.slice(start, start + size);
  const answer: Record<string, unknown> = { items: page.map((job) => batchOf(job, false)) };
  // As LlamaCloud: the token is left out on the last page, and no total is sent.
  if (start + size < matching.length) answer.next_page_token = Buffer.from(`o${start + size}`).toString('base64url');
  send(res, 200, answer);
}

function create(res: ServerResponse, jobs: DemoJob[], body: string | null): void {
  let parsed: {
    source_directory_id?: unknown;
    config?: { job?: { type?: unknown; configuration_id?: unknown } };
  } = {};
  try {
    parsed = JSON.parse(body ?? '') as typeof parsed;
  } catch {
    send(res, 422, { detail: [{ loc: ['body'], msg: 'Invalid JSON', type: 'json_invalid' }] });
    return;
  }
  const type = parsed.config?.job?.type;
  const configuration = parsed.config?.job?.configuration_id;
  if (typeof parsed.source_directory_id !== 'string' || parsed.source_directory_id === '') {
    send(res, 422, { detail: [{ loc: ['body', 'source_directory_id'], msg: 'Field required', type: 'missing' }] });
    return;
  }
  if ((type !== 'parse_v2' && type !== 'extract_v2') || typeof configuration !== 'string') {
    send(res, 422, {
      detail: [
        {
          loc: ['body', 'config', 'job'],
          msg: 'Give type parse_v2 or extract_v2 and a configuration_id',
          type: 'value_error',
        },
      ],
    });
    return;
  }
  const job = arrivingJob(Date.now(), jobs.length + 104_729);
  job.job_type = type === 'parse_v2' ? 'parse' : 'extract';
  job.directory_id = parsed.source_directory_id;
  configurationOf.set(job, configuration);
  jobs.unshift(job);
  send(res, 200, batchOf(job, false));
}
