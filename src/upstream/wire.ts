/**
 * The LlamaCloud batch-processing API's wire shapes, as zod schemas.
 *
 * Every upstream answer is parsed through these before a resolver sees it, so a wrong shape becomes
 * one UPSTREAM_BAD_RESPONSE error instead of a crash deep in a resolver. Objects are not strict:
 * LlamaCloud may add fields at any time and that must not break us.
 */
import { z } from 'zod';

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

/** Statuses after which a job never changes again. */
export const TERMINAL_STATUSES: ReadonlySet<BatchJobStatusWire> = new Set(['completed', 'failed', 'cancelled']);

// The one form the gateway sends: UTC, milliseconds, `Z`.
export const CANONICAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
// An explicit offset (Z, +01:00, +0100) at the end; without one the time is naive.
const HAS_OFFSET = /(?:[zZ]|[+-]\d{2}:?\d{2})$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[zZ]|[+-]\d{2}:?\d{2})?$/;

/**
 * Normalises an upstream timestamp to `YYYY-MM-DDTHH:mm:ss.sssZ`, or returns null when it is not an
 * ISO 8601 date-time. The upstream's serialisation is unconfirmed (`Z` or `+00:00`, micro- or
 * milliseconds, possibly naive): naive times are FastAPI's UTC datetimes, so they are read as UTC.
 * Precision below a millisecond is dropped, which JavaScript clients could not represent anyway.
 */
export function normalizeDateTime(raw: string): string | null {
  // Hot path: most values are already in the output form (and every value is checked again when
  // serialised), so accept those after one regex and one parse instead of rebuilding them.
  if (CANONICAL_DATE_TIME.test(raw)) return Number.isNaN(Date.parse(raw)) ? null : raw;
  const text = raw.trim();
  if (!ISO_DATE_TIME.test(text)) return null;
  let iso = text.replace(' ', 'T');
  // Date.parse accepts at most millisecond precision reliably across engines.
  iso = iso.replace(/(\.\d{3})\d+/, '$1');
  if (!HAS_OFFSET.test(iso)) iso += 'Z';
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

// Optional fields: absent and null both come out as null. `.nullable().default(null)` does that
// without a transform step, which costs measurably on every field of every job in a page.
const dateTime = z
  .string()
  .transform((raw, ctx) => {
    const normalized = normalizeDateTime(raw);
    if (normalized === null) {
      ctx.addIssue({ code: 'custom', message: `not an ISO 8601 date-time: ${JSON.stringify(raw)}` });
      return z.NEVER;
    }
    return normalized;
  })
  .nullable()
  .default(null);

const optionalString = z.string().nullable().default(null);
const optionalCount = z.number().int().nullable().default(null);

export const batchJobSchema = z.object({
  id: z.string().min(1),
  job_type: z.enum(BatchJobTypeWire),
  project_id: z.string(),
  status: z.enum(BatchJobStatusWire),
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

/** A batch job as the upstream sends it, after validation: optional fields are `null`, never absent. */
export type BatchJobWire = z.output<typeof batchJobSchema>;

/**
 * A job as resolvers see it: the wire job plus LlamaCloud's own progress when the job was fetched
 * by id (the list endpoint does not send it).
 */
export type BatchJobModel = BatchJobWire & { progress_percentage?: number | null };

export const batchJobListSchema = z.object({
  items: z.array(batchJobSchema),
  // Kept as sent: absent (undefined) says "this upstream does not page by token", null says "no more".
  next_page_token: z.string().nullable().optional(),
  total_size: optionalCount,
});

/** One page of `GET /api/v1/beta/batch-processing`. */
export type BatchJobListWire = z.output<typeof batchJobListSchema>;

/** `GET /api/v1/beta/batch-processing/{job_id}`. */
export const batchJobWithProgressSchema = z.object({
  job: batchJobSchema,
  progress_percentage: z.number().min(0).max(100).nullable().default(null),
});

export type BatchJobWithProgressWire = z.output<typeof batchJobWithProgressSchema>;

/** `POST /api/v1/beta/batch-processing/{job_id}/cancel`. */
export const cancelAnswerSchema = z.object({
  job_id: z.string(),
  message: optionalString,
  processed_items: optionalCount,
  status: z.string(),
});

export type CancelAnswerWire = z.output<typeof cancelAnswerSchema>;

export const batchJobItemSchema = z.object({
  item_id: z.string().min(1),
  item_name: z.string(),
  status: z.enum(BatchJobItemStatusWire),
  error_message: optionalString,
  skip_reason: optionalString,
  job_id: optionalString,
  started_at: dateTime,
  completed_at: dateTime,
  effective_at: dateTime,
});

/** An item of a job, after validation. */
export type BatchJobItemWire = z.output<typeof batchJobItemSchema>;

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
