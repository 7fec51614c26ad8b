/**
 * Realistic, deterministic batch jobs for demo mode: every type and status, over a handful of
 * directories, spread over the last weeks. Seeded, so every start shows the same jobs.
 */
import { BATCH_JOB_STATUSES, BATCH_JOB_TYPES, type BatchJobStatusWire } from '../upstream/wire.js';

/** A job as LlamaCloud sends it (snake_case, optional fields present). */
export interface DemoJob {
  id: string;
  job_type: (typeof BATCH_JOB_TYPES)[number];
  project_id: string;
  status: BatchJobStatusWire;
  total_items: number;
  processed_items: number;
  failed_items: number;
  skipped_items: number;
  directory_id: string;
  error_message: string | null;
  job_record_id: string;
  workflow_id: string;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  completed_at: string | null;
  effective_at: string;
}

export const DEMO_PROJECT_ID = 'proj-5d3c1a2b-7e4f-4a6b-9c8d-0e1f2a3b4c5d';
export const DEMO_DIRECTORIES = [
  'dir-invoices-2026',
  'dir-contracts',
  'dir-research-papers',
  'dir-support-tickets',
  'dir-receipts-q3',
  'dir-hr-forms',
] as const;

const ERRORS = [
  'Worker lost heartbeat after 3 attempts',
  'File "scan_0042.pdf" exceeds the 300-page limit',
  'Extraction schema rejected: field "total" has no type',
  'Quota exceeded for project',
];

/** A small seeded PRNG (mulberry32): good enough for demo data, stable across Node versions. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hex(rand: () => number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += Math.floor(rand() * 16).toString(16);
  return out;
}

function uuid(rand: () => number): string {
  return `${hex(rand, 8)}-${hex(rand, 4)}-4${hex(rand, 3)}-a${hex(rand, 3)}-${hex(rand, 12)}`;
}

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)] as T;
}

/**
 * `count` jobs, newest first, the newest created shortly before `now`.
 * Statuses are weighted towards finished jobs, as a real project's history would be.
 */
export function generateDemoJobs(count: number, now: number, seed = 42): DemoJob[] {
  const rand = seededRandom(seed);
  const weighted: BatchJobStatusWire[] = [
    ...BATCH_JOB_STATUSES,
    'completed',
    'completed',
    'completed',
    'running',
    'running',
    'failed',
  ];
  const jobs: DemoJob[] = [];
  for (let i = 0; i < count; i += 1) {
    // The first few are in flight so a newcomer sees live progress at the top of the list.
    const status: BatchJobStatusWire = i < 4 ? 'running' : pick(rand, weighted);
    const total = 5 + Math.floor(rand() * 400);
    const created = now - (i * 97 + Math.floor(rand() * 60)) * 60_000;
    const started = status === 'pending' ? null : created + 30_000;
    const finished = status === 'completed' || status === 'failed' || status === 'cancelled';
    const skipped = finished ? Math.floor(rand() * Math.min(5, total)) : 0;
    const failed = status === 'failed' ? 1 + Math.floor(rand() * 10) : finished ? Math.floor(rand() * 3) : 0;
    let processed = 0;
    if (status === 'completed') processed = total - skipped - failed;
    else if (status === 'running') processed = Math.floor(rand() * total * 0.9);
    else if (status === 'failed' || status === 'cancelled') processed = Math.floor(rand() * (total - failed - skipped));
    const completed = finished ? created + (5 + Math.floor(rand() * 90)) * 60_000 : null;
    const updated = completed ?? (started === null ? created : Math.min(now, created + 5 * 60_000));
    jobs.push({
      id: `bjb-${uuid(rand)}`,
      job_type: BATCH_JOB_TYPES[i % BATCH_JOB_TYPES.length] ?? 'parse',
      project_id: DEMO_PROJECT_ID,
      status,
      total_items: total,
      processed_items: processed,
      failed_items: failed,
      skipped_items: skipped,
      directory_id: pick(rand, DEMO_DIRECTORIES),
      error_message: status === 'failed' ? pick(rand, ERRORS) : null,
      job_record_id: `jr-${uuid(rand)}`,
      workflow_id: `wf-${uuid(rand)}`,
      created_at: new Date(created).toISOString(),
      updated_at: new Date(updated).toISOString(),
      started_at: started === null ? null : new Date(started).toISOString(),
      completed_at: completed === null ? null : new Date(completed).toISOString(),
      effective_at: new Date(created).toISOString(),
    });
  }
  return jobs;
}

/** An item of a demo job, as LlamaCloud sends it. */
export interface DemoItem {
  item_id: string;
  item_name: string;
  status: 'pending' | 'processing' | 'completed' | 'failed' | 'skipped' | 'cancelled';
  job_id: string;
  error_message: string | null;
  skip_reason: string | null;
  started_at: string | null;
  completed_at: string | null;
  effective_at: string | null;
}

/** When each running demo job was last advanced, so progress follows the clock. */
const advancedAt = new WeakMap<DemoJob, number>();
/** When each demo job list last got a new job. */
const arrivedAt = new WeakMap<DemoJob[], number>();

/** A new job arrives this often, and at once whenever fewer than this many are in flight. */
const ARRIVAL_MS = 40_000;
const MIN_IN_FLIGHT = 3;
/** Pending this long before LlamaCloud dispatches it, then dispatched this long before it runs. */
const PENDING_MS = 8_000;
const DISPATCHED_MS = 4_000;
/** The list keeps at most this many jobs beyond those it started with: the oldest go. */
const GROWTH = 200;

/**
 * Moves the demo forward to `now`, so that something is always happening: new jobs keep arriving
 * (pending, then dispatched, then running), each runs for about a minute and a half, and ends
 * completed, or now and then failed or cancelled. `startedWith` is the list's first length: it
 * grows by at most GROWTH jobs beyond it.
 */
export function advanceDemoJobs(jobs: DemoJob[], now: number, startedWith: number): void {
  const inFlight = jobs.filter((job) => !TERMINAL.has(job.status)).length;
  const lastArrival = arrivedAt.get(jobs) ?? now;
  if (!arrivedAt.has(jobs)) arrivedAt.set(jobs, now);
  if (inFlight < MIN_IN_FLIGHT || now - lastArrival >= ARRIVAL_MS) {
    arrivedAt.set(jobs, now);
    jobs.unshift(arrivingJob(now, jobs.length));
    if (jobs.length > startedWith + GROWTH) jobs.length = startedWith + GROWTH;
  }
  // Never still: with nothing running, the oldest job waiting starts at once.
  if (!jobs.some((job) => job.status === 'running')) {
    const waiting = jobs.findLast((job) => job.status === 'pending' || job.status === 'dispatched');
    if (waiting) start(waiting, now);
  }
  for (const job of jobs) {
    const age = now - Date.parse(job.created_at);
    if (job.status === 'pending' && age >= PENDING_MS) {
      job.status = 'dispatched';
      job.updated_at = new Date(now).toISOString();
    } else if (job.status === 'dispatched' && age >= PENDING_MS + DISPATCHED_MS) start(job, now);
    else if (job.status === 'running') advanceRunning(job, now);
  }
}

const TERMINAL: ReadonlySet<BatchJobStatusWire> = new Set(['completed', 'failed', 'cancelled']);

function start(job: DemoJob, now: number): void {
  job.status = 'running';
  job.started_at = job.updated_at = new Date(now).toISOString();
  advancedAt.set(job, now);
}

function advanceRunning(job: DemoJob, now: number): void {
  const last = advancedAt.get(job) ?? now;
  advancedAt.set(job, now);
  // Every job runs for about a minute and a half, whatever its size (fractions carry over).
  const perSecond = job.total_items / 90;
  const remaining = job.total_items - job.failed_items - job.skipped_items;
  const processed = Math.min(remaining, job.processed_items + Math.floor(((now - last) / 1000) * perSecond));
  if (processed === job.processed_items) {
    // Keep the fraction for the next call instead of losing it to floor().
    advancedAt.set(job, last);
    return;
  }
  job.processed_items = processed;
  job.updated_at = new Date(now).toISOString();
  // Decided by the id, so a job's fate is the same for every reader: about one in eight fails
  // half-way, one in twelve is cancelled, the rest complete.
  let fate = 0;
  for (let i = 0; i < job.id.length; i += 1) fate = (fate + job.id.charCodeAt(i)) % 24;
  if (fate < 3 && processed >= remaining / 2) {
    job.status = 'failed';
    job.failed_items += 1 + (fate % 3);
    job.error_message = ERRORS[fate % ERRORS.length] ?? 'Failed';
  } else if (fate === 3 && processed >= remaining / 3) job.status = 'cancelled';
  else if (processed >= remaining) job.status = 'completed';
  if (TERMINAL.has(job.status)) job.completed_at = job.updated_at;
}

/** A job just submitted: pending, nothing processed, created now. */
export function arrivingJob(now: number, serial: number): DemoJob {
  const [base] = generateDemoJobs(1, now, 1000 + serial);
  const created = new Date(now).toISOString();
  return {
    ...(base as DemoJob),
    status: 'pending',
    processed_items: 0,
    failed_items: 0,
    skipped_items: 0,
    error_message: null,
    created_at: created,
    updated_at: created,
    effective_at: created,
    started_at: null,
    completed_at: null,
  };
}

/** The items of a demo job, consistent with its counters: processed first, then failed, skipped. */
export function demoItems(job: DemoJob): DemoItem[] {
  const items: DemoItem[] = [];
  for (let i = 0; i < job.total_items; i += 1) {
    let status: DemoItem['status'];
    if (i < job.processed_items) status = 'completed';
    else if (i < job.processed_items + job.failed_items) status = 'failed';
    else if (i < job.processed_items + job.failed_items + job.skipped_items) status = 'skipped';
    else if (job.status === 'cancelled' || job.status === 'failed') status = 'cancelled';
    else if (job.status === 'running' && i === job.processed_items + job.failed_items + job.skipped_items)
      status = 'processing';
    else status = 'pending';
    const done = status === 'completed' || status === 'failed' || status === 'skipped';
    items.push({
      item_id: `itm-${job.id.slice(4, 12)}-${String(i + 1).padStart(4, '0')}`,
      item_name: `${job.directory_id.replace(/^dir-/, '')}/document-${String(i + 1).padStart(4, '0')}.pdf`,
      status,
      job_id: job.id,
      error_message: status === 'failed' ? 'Could not read the file: it is password-protected' : null,
      skip_reason: status === 'skipped' ? 'Already processed in an earlier job' : null,
      started_at: status === 'pending' || status === 'cancelled' ? null : job.started_at,
      completed_at: done ? job.updated_at : null,
      effective_at: job.created_at,
    });
  }
  return items;
}
