/**
 * The LlamaCloud batch-processing API's wire shapes, as zod schemas, and the models they become.
 *
 * Every upstream answer is parsed through these before a resolver sees it, so a wrong shape becomes
 * one UPSTREAM_BAD_RESPONSE error instead of a crash deep in a resolver. Objects are not strict:
 * LlamaCloud may add fields at any time and that must not break us. Jobs and items come out under
 * the GraphQL schema's names: the snake_case of the wire stops here.
 */
import { z } from 'zod';
import { normalizeDateTime } from './date-time.js';

/**
 * GraphQL enum name → wire value. These objects are also the enums' resolvers (GraphQL enums carry
 * the wire values internally) and, by declaration merging, the union types of the wire values.
 */
export const BatchJobTypeWire = { PARSE: 'parse', EXTRACT: 'extract', CLASSIFY: 'classify' } as const;
export type BatchJobTypeWire = (typeof BatchJobTypeWire)[keyof typeof BatchJobTypeWire];

export const BatchJobStatusWire = {
  PENDING: 'pending',
  RUNNING: 'running',
  DISPATCHED: 'dispatched',
  COMPLETED: 'completed',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
} as const;
export type BatchJobStatusWire = (typeof BatchJobStatusWire)[keyof typeof BatchJobStatusWire];

export const BatchJobItemStatusWire = {
  PENDING: 'pending',
  PROCESSING: 'processing',
  COMPLETED: 'completed',
  FAILED: 'failed',
  SKIPPED: 'skipped',
  CANCELLED: 'cancelled',
} as const;
export type BatchJobItemStatusWire = (typeof BatchJobItemStatusWire)[keyof typeof BatchJobItemStatusWire];

export const BATCH_JOB_TYPES = Object.values(BatchJobTypeWire);
export const BATCH_JOB_STATUSES = Object.values(BatchJobStatusWire);

/**
 * A value LlamaCloud sends that this gateway does not know yet (it adds values: v2 added
 * THROTTLED). Such a job is served with the enum's UNKNOWN and the raw text beside it, never
 * refused: one new value must not fail a whole page.
 */
export const UNKNOWN_WIRE_VALUE = 'unknown';

/** The enums as GraphQL serves them: the wire values plus UNKNOWN (GraphQL name → internal value). */
export const BatchJobTypeValue = { ...BatchJobTypeWire, UNKNOWN: UNKNOWN_WIRE_VALUE } as const;
export type BatchJobTypeValue = (typeof BatchJobTypeValue)[keyof typeof BatchJobTypeValue];
/** v2's THROTTLED (held back by LlamaCloud's capacity limits), under the same lowercase form. */
export const THROTTLED = 'throttled';
export const BatchJobStatusValue = { ...BatchJobStatusWire, THROTTLED, UNKNOWN: UNKNOWN_WIRE_VALUE } as const;
export type BatchJobStatusValue = (typeof BatchJobStatusValue)[keyof typeof BatchJobStatusValue];
export const BatchJobItemStatusValue = { ...BatchJobItemStatusWire, UNKNOWN: UNKNOWN_WIRE_VALUE } as const;
export type BatchJobItemStatusValue = (typeof BatchJobItemStatusValue)[keyof typeof BatchJobItemStatusValue];

/** A known wire value as itself, any other text as UNKNOWN. */
function known<T extends string>(values: readonly T[]): (raw: string) => T | typeof UNKNOWN_WIRE_VALUE {
  const set: ReadonlySet<string> = new Set(values);
  return (raw) => (set.has(raw) ? (raw as T) : UNKNOWN_WIRE_VALUE);
}
export const knownJobType = known(BATCH_JOB_TYPES);
export const knownJobStatus = known([...BATCH_JOB_STATUSES, THROTTLED]);
export const knownItemStatus = known(Object.values(BatchJobItemStatusWire));

/** Statuses after which a job never changes again. */
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set(['completed', 'failed', 'cancelled']);

// Optional fields: absent and null both come out as null. `.nullable().default(null)` does that
// without a transform step, which costs measurably on every field of every job in a page.
export const dateTime = z
  .string()
  .transform((raw, ctx) => {
    const normalized = normalizeDateTime(raw);
    if (normalized === null) {
      // The value is not quoted: it is the upstream's text, and may hold anything.
      ctx.addIssue({ code: 'custom', message: 'not an ISO 8601 date-time' });
      return z.NEVER;
    }
    return normalized;
  })
  .nullable()
  .default(null);

export const optionalString = z.string().nullable().default(null);
export const optionalCount = z.number().int().nullable().default(null);

const batchJobWireSchema = z.object({
  id: z.string().min(1),
  job_type: z.string().min(1),
  project_id: z.string(),
  status: z.string().min(1),
  total_items: z.number().int(),
  processed_items: optionalCount,
  failed_items: optionalCount,
  skipped_items: optionalCount,
  directory_id: optionalString,
  error_message: optionalString,
  job_record_id: optionalString,
  workflow_id: optionalString,
  created_at: dateTime,
  updated_at: dateTime,
  started_at: dateTime,
  completed_at: dateTime,
  effective_at: dateTime,
});

/**
 * A batch job as resolvers see it: the GraphQL type's fields under the GraphQL names, so every
 * scalar field is a plain property read (which compiled queries inline) instead of a resolver call.
 */
export interface BatchJobModel {
  id: string;
  jobType: BatchJobTypeValue;
  /** The type as LlamaCloud sent it (what UNKNOWN stands for). */
  rawJobType: string;
  projectId: string;
  status: BatchJobStatusValue;
  /** The status as LlamaCloud sent it (what UNKNOWN stands for). */
  rawStatus: string;
  totalItems: number;
  processedItems: number | null;
  failedItems: number | null;
  skippedItems: number | null;
  directoryId: string | null;
  errorMessage: string | null;
  jobRecordId: string | null;
  workflowId: string | null;
  createdAt: string | null;
  updatedAt: string | null;
  startedAt: string | null;
  completedAt: string | null;
  effectiveAt: string | null;
  /** LlamaCloud's own percentage for a job fetched by id; computed for a job from a list (v1). */
  progressPercentage: number | null;
  /** The saved configuration or preset (v2 `config.job.configuration_id`); null on v1. */
  configurationId: string | null;
  /**
   * One per source file (v2 `expand=results`): null on v1 and while LlamaCloud lists none;
   * absent for a v2 job from a list, which carries no results (they are read by id when asked).
   */
  results?: BatchJobResultModel[] | null;
}

/** What became of one file of a v2 batch. */
export interface BatchJobResultModel {
  sourceDirectoryFileId: string;
  /** The parse or extract job the file became; null when none was made (see errorMessage). */
  job: { id: string; type: string } | null;
  /** Why no job was made for the file. */
  errorMessage: string | null;
}

/** Progress of a job from the list endpoint, which sends no percentage: processed / total. */
export function computedProgress(totalItems: number, processedItems: number | null): number {
  if (totalItems <= 0) return 0;
  const percent = ((processedItems ?? 0) / totalItems) * 100;
  return Math.min(100, Math.max(0, Math.round(percent * 100) / 100));
}

function toBatchJob(job: z.output<typeof batchJobWireSchema>, progress: number | null): BatchJobModel {
  return {
    id: job.id,
    jobType: knownJobType(job.job_type),
    rawJobType: job.job_type,
    projectId: job.project_id,
    status: knownJobStatus(job.status),
    rawStatus: job.status,
    totalItems: job.total_items,
    processedItems: job.processed_items,
    failedItems: job.failed_items,
    skippedItems: job.skipped_items,
    directoryId: job.directory_id,
    errorMessage: job.error_message,
    jobRecordId: job.job_record_id,
    workflowId: job.workflow_id,
    createdAt: job.created_at,
    updatedAt: job.updated_at,
    startedAt: job.started_at,
    completedAt: job.completed_at,
    effectiveAt: job.effective_at,
    progressPercentage: progress ?? computedProgress(job.total_items, job.processed_items),
    configurationId: null,
    results: null,
  };
}

export const batchJobListSchema = z.object({
  items: z.array(batchJobWireSchema.transform((job) => toBatchJob(job, null))),
  // Kept as sent: absent (undefined) says "this upstream does not page by token", null says "no more".
  next_page_token: z.string().nullable().optional(),
  total_size: optionalCount,
});

/** One page of `GET /api/v1/beta/batch-processing`. */
export type BatchJobListWire = z.output<typeof batchJobListSchema>;

/** `GET /api/v1/beta/batch-processing/{job_id}`: the job with LlamaCloud's own progress. */
export const batchJobWithProgressSchema = z
  .object({
    job: batchJobWireSchema,
    progress_percentage: z.number().min(0).max(100).nullable().default(null),
  })
  .transform(({ job, progress_percentage }) => toBatchJob(job, progress_percentage));

/** `POST /api/v1/beta/batch-processing` (create): the new job. */
export const createdJobSchema = batchJobWireSchema.transform((job) => toBatchJob(job, null));

/** `POST /api/v1/beta/batch-processing/{job_id}/cancel`. */
export const cancelAnswerSchema = z.object({
  job_id: z.string(),
  message: optionalString,
  processed_items: optionalCount,
  status: z.string(),
});

export type CancelAnswerWire = z.output<typeof cancelAnswerSchema>;

const batchJobItemWireSchema = z.object({
  item_id: z.string().min(1),
  item_name: z.string(),
  status: z.string().min(1),
  error_message: optionalString,
  skip_reason: optionalString,
  job_id: optionalString,
  started_at: dateTime,
  completed_at: dateTime,
  effective_at: dateTime,
});

/** An item of a job as resolvers see it: the GraphQL type's fields under the GraphQL names. */
export interface BatchJobItemModel {
  id: string;
  name: string;
  status: BatchJobItemStatusValue;
  /** The status as LlamaCloud sent it (what UNKNOWN stands for). */
  rawStatus: string;
  errorMessage: string | null;
  skipReason: string | null;
  startedAt: string | null;
  completedAt: string | null;
  effectiveAt: string | null;
}

const batchJobItemSchema = batchJobItemWireSchema.transform((item): BatchJobItemModel => ({
  id: item.item_id,
  name: item.item_name,
  status: knownItemStatus(item.status),
  rawStatus: item.status,
  errorMessage: item.error_message,
  skipReason: item.skip_reason,
  startedAt: item.started_at,
  completedAt: item.completed_at,
  effectiveAt: item.effective_at,
}));

/** `GET /api/v1/beta/batch-processing/{job_id}/items`; `items` itself may be absent (= none). */
export const batchJobItemListSchema = z.object({
  items: z
    .array(batchJobItemSchema)
    .nullish()
    .transform((v) => v ?? []),
  next_page_token: z.string().nullable().optional(),
  total_size: optionalCount,
});

export type BatchJobItemListWire = z.output<typeof batchJobItemListSchema>;
