/**
 * LlamaCloud's batch API v2 (`/api/v2/batches`) on the wire, and how its batches become the same
 * models as v1's jobs (wire.ts), so one GraphQL API serves both generations.
 *
 * What v2 does not send stays null (counters, progress, error text, internal ids, start and end
 * times); v2's own fields (the configuration, the per-file results) are null on v1. Statuses come
 * UPPERCASE and map to the lowercase values the GraphQL enums carry; `parse_v2` and `extract_v2`
 * are PARSE and EXTRACT. Anything else is UNKNOWN with the raw text beside it, never a refusal.
 */
import { z } from 'zod';
import {
  dateTime,
  knownJobStatus,
  knownJobType,
  optionalString,
  UNKNOWN_WIRE_VALUE,
  type BatchJobModel,
  type BatchJobResultModel,
  type BatchJobTypeWire,
} from './wire.js';

/** v2's job types, by the v1 (GraphQL) type they stand for. v2 has no classify batches. */
export const V2_JOB_TYPES: Partial<Record<BatchJobTypeWire, string>> = { parse: 'parse_v2', extract: 'extract_v2' };
const V1_TYPE_OF: ReadonlyMap<string, string> = new Map(Object.entries(V2_JOB_TYPES).map(([v1, v2]) => [v2, v1]));

/** v2's statuses (UPPERCASE on the wire) by their lowercase GraphQL value. v2 has no DISPATCHED. */
export const V2_STATUSES: ReadonlySet<string> = new Set([
  'pending',
  'throttled',
  'running',
  'completed',
  'failed',
  'cancelled',
]);

const batchResultSchema = z.object({
  source_directory_file_id: z.string().min(1),
  job_reference: z
    .object({ id: z.string().min(1), type: z.string() })
    .nullable()
    .default(null),
  error_message: optionalString,
});

const batchWireSchema = z.object({
  id: z.string().min(1),
  config: z.object({ job: z.object({ configuration_id: z.string(), type: z.string().min(1) }) }),
  project_id: z.string(),
  source_directory_id: z.string(),
  status: z.string().min(1),
  created_at: dateTime,
  updated_at: dateTime,
  // Absent without `expand=results`; null while LlamaCloud lists none.
  results: z.array(batchResultSchema).nullish(),
});

type BatchWire = z.output<typeof batchWireSchema>;

function toResult(result: z.output<typeof batchResultSchema>): BatchJobResultModel {
  return {
    sourceDirectoryFileId: result.source_directory_file_id,
    job: result.job_reference,
    errorMessage: result.error_message,
  };
}

/** A v2 batch as the model v1 jobs become; `withResults` when it was read with `expand=results`. */
function toModel(batch: BatchWire, withResults: boolean): BatchJobModel {
  const rawType = batch.config.job.type;
  const status = batch.status.toLowerCase();
  const model: BatchJobModel = {
    id: batch.id,
    jobType: knownJobType(V1_TYPE_OF.get(rawType) ?? rawType),
    rawJobType: rawType,
    projectId: batch.project_id,
    // A known word that is no v2 status (a v1 one sent by mistake) is UNKNOWN too, served raw.
    status: V2_STATUSES.has(status) ? knownJobStatus(status) : UNKNOWN_WIRE_VALUE,
    rawStatus: batch.status,
    // The number of files is known only from the results (see BatchJob.totalItems).
    totalItems: batch.results?.length ?? 0,
    processedItems: null,
    failedItems: null,
    skippedItems: null,
    directoryId: batch.source_directory_id,
    errorMessage: null,
    jobRecordId: null,
    workflowId: null,
    createdAt: batch.created_at,
    updatedAt: batch.updated_at,
    startedAt: null,
    completedAt: null,
    effectiveAt: null,
    progressPercentage: null,
    configurationId: batch.config.job.configuration_id,
  };
  // Read by id with results, null means "none listed yet"; a list's batch has none to say.
  if (withResults || batch.results) model.results = batch.results?.map(toResult) ?? null;
  return model;
}

/** `GET /api/v2/batches/{id}?expand=results`. */
export const batchWithResultsSchema = batchWireSchema.transform((batch) => toModel(batch, true));

/** `POST /api/v2/batches` and `POST /api/v2/batches/{id}/cancel`: the batch, without results. */
export const batchSchema = batchWireSchema.transform((batch) => toModel(batch, false));

/** `GET /api/v2/batches`: one page; `next_page_token` absent or null means the last page. */
export const batchPageSchema = z.object({
  items: z.array(batchSchema),
  next_page_token: z.string().nullable().default(null),
  total_size: z.number().int().nullable().default(null),
});

export type BatchPageWire = z.output<typeof batchPageSchema>;
