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
function random(seed: number): () => number {
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
  const rand = random(seed);
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
