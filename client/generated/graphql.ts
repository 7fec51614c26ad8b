/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** Narrows `batchJobs`. Every field is optional; fields given are combined with AND. */
export type BatchJobFilter = {
  /** Only jobs created at or after this time (batch API v2 only; BAD_USER_INPUT under v1). */
  createdAtOnOrAfter?: string | null | undefined;
  /** Only jobs created at or before this time (batch API v2 only; BAD_USER_INPUT under v1). */
  createdAtOnOrBefore?: string | null | undefined;
  /** Only jobs over this directory (for example `dir-...`): v1's `directory_id`, v2's `source_directory_id`. */
  directoryId?: string | number | null | undefined;
  /** Only jobs of this type (batch API v1 only: v2 cannot filter by type, and says BAD_USER_INPUT). */
  jobType?: BatchJobType | null | undefined;
  /** Only jobs of this LlamaCloud organization. */
  organizationId?: string | number | null | undefined;
  /** Only jobs of this LlamaCloud project. Omit it to use the project of the gateway's API key. */
  projectId?: string | number | null | undefined;
  /** Only jobs in this status. */
  status?: BatchJobStatus | null | undefined;
};

/** Where an item (one file) of a batch job is. */
export type BatchJobItemStatus =
  /** Not processed because the job was cancelled. */
  | 'CANCELLED'
  /** Processed successfully. */
  | 'COMPLETED'
  /** Processing failed; see `errorMessage`. */
  | 'FAILED'
  /** Waiting to be processed. */
  | 'PENDING'
  /** Being processed now. */
  | 'PROCESSING'
  /** Not processed (already processed before, or over the size limit); see `skipReason`. */
  | 'SKIPPED'
  /**
   * A status this gateway does not know yet (LlamaCloud added it since): `rawStatus` holds it.
   * Handle it as "other"; it cannot be used as a filter.
   */
  | 'UNKNOWN';

/** Where a batch job is in its life. COMPLETED, FAILED and CANCELLED are terminal. */
export type BatchJobStatus =
  /** Cancelled by a user before it finished. */
  | 'CANCELLED'
  /** Finished; every item was processed, failed or skipped. */
  | 'COMPLETED'
  /** Handed to the workers; items will start shortly (batch API v1 only: v2 has no such status). */
  | 'DISPATCHED'
  /** Stopped by an error; see `errorMessage`. */
  | 'FAILED'
  /** Accepted, not started yet. */
  | 'PENDING'
  /** Items are being processed. */
  | 'RUNNING'
  /**
   * Accepted, and held back until LlamaCloud has capacity for it (batch API v2 only; v1 never sends
   * it, and filtering on it under v1 is BAD_USER_INPUT).
   */
  | 'THROTTLED'
  /**
   * A status this gateway does not know yet (LlamaCloud added it since): `rawStatus` holds it.
   * Handle it as "other"; it cannot be used as a filter.
   */
  | 'UNKNOWN';

/** What a batch job does with each file of its directory. */
export type BatchJobType =
  /** Classify each file into one of a set of categories. */
  | 'CLASSIFY'
  /** Extract structured data from each file (LlamaExtract). */
  | 'EXTRACT'
  /** Parse each file into text and structure (LlamaParse). */
  | 'PARSE'
  /**
   * A type this gateway does not know yet (LlamaCloud added it since): `rawJobType` holds it.
   * Handle it as "other"; it cannot be used as a filter.
   */
  | 'UNKNOWN';

export type CancelJobMutationVariables = Exact<{
  id: string | number;
  reason?: string | null | undefined;
}>;


export type CancelJobMutation = { cancelBatchJob: { id: string, status: BatchJobStatus, processedItems: number | null, progressPercentage: number | null, completedAt: string | null } };

export type JobDetailQueryVariables = Exact<{
  id: string | number;
  itemsLimit?: number | null | undefined;
  itemsOffset?: number | null | undefined;
}>;


export type JobDetailQuery = { batchJob: { skippedItems: number | null, errorMessage: string | null, createdAt: string | null, startedAt: string | null, completedAt: string | null, id: string, jobType: BatchJobType, status: BatchJobStatus, rawStatus: string, directoryId: string | null, totalItems: number, processedItems: number | null, failedItems: number | null, progressPercentage: number | null, items: { totalCount: number | null, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean }, nodes: Array<{ id: string, name: string, status: BatchJobItemStatus, errorMessage: string | null }> } } | null };

export type JobResultsQueryVariables = Exact<{
  id: string | number;
}>;


export type JobResultsQuery = { batchJob: { skippedItems: number | null, errorMessage: string | null, createdAt: string | null, startedAt: string | null, completedAt: string | null, id: string, jobType: BatchJobType, status: BatchJobStatus, rawStatus: string, directoryId: string | null, totalItems: number, processedItems: number | null, failedItems: number | null, progressPercentage: number | null, results: Array<{ sourceDirectoryFileId: string, errorMessage: string | null, job: { id: string, type: string } | null }> | null } | null };

export type JobSummaryFragment = { id: string, jobType: BatchJobType, status: BatchJobStatus, rawStatus: string, directoryId: string | null, totalItems: number, processedItems: number | null, failedItems: number | null, progressPercentage: number | null };

export type JobDetailFieldsFragment = { skippedItems: number | null, errorMessage: string | null, createdAt: string | null, startedAt: string | null, completedAt: string | null, id: string, jobType: BatchJobType, status: BatchJobStatus, rawStatus: string, directoryId: string | null, totalItems: number, processedItems: number | null, failedItems: number | null, progressPercentage: number | null };

export type JobUpdatedSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type JobUpdatedSubscription = { batchJobUpdated: { id: string, status: BatchJobStatus, rawStatus: string, totalItems: number, processedItems: number | null, failedItems: number | null, skippedItems: number | null, progressPercentage: number | null, completedAt: string | null } };

export type JobsPageQueryVariables = Exact<{
  filter?: BatchJobFilter | null | undefined;
  limit?: number | null | undefined;
  offset?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type JobsPageQuery = { batchJobs: { totalCount: number | null, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, endCursor: string | null }, nodes: Array<{ createdAt: string | null, id: string, jobType: BatchJobType, status: BatchJobStatus, rawStatus: string, directoryId: string | null, totalItems: number, processedItems: number | null, failedItems: number | null, progressPercentage: number | null }> } };

export const JobSummaryFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"JobSummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"BatchJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"jobType"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"rawStatus"}},{"kind":"Field","name":{"kind":"Name","value":"directoryId"}},{"kind":"Field","name":{"kind":"Name","value":"totalItems"}},{"kind":"Field","name":{"kind":"Name","value":"processedItems"}},{"kind":"Field","name":{"kind":"Name","value":"failedItems"}},{"kind":"Field","name":{"kind":"Name","value":"progressPercentage"}}]}}]} as unknown as DocumentNode<JobSummaryFragment, unknown>;
export const JobDetailFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"JobDetailFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"BatchJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"JobSummary"}},{"kind":"Field","name":{"kind":"Name","value":"skippedItems"}},{"kind":"Field","name":{"kind":"Name","value":"errorMessage"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"JobSummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"BatchJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"jobType"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"rawStatus"}},{"kind":"Field","name":{"kind":"Name","value":"directoryId"}},{"kind":"Field","name":{"kind":"Name","value":"totalItems"}},{"kind":"Field","name":{"kind":"Name","value":"processedItems"}},{"kind":"Field","name":{"kind":"Name","value":"failedItems"}},{"kind":"Field","name":{"kind":"Name","value":"progressPercentage"}}]}}]} as unknown as DocumentNode<JobDetailFieldsFragment, unknown>;
export const CancelJobDocument = {"__meta__":{"hash":"sha256:4eecc502e21cf51513e69cfe4ce7d215334c35c5e33ac2b09db44efcf597ec4d"}} as unknown as DocumentNode<CancelJobMutation, CancelJobMutationVariables>;
export const JobDetailDocument = {"__meta__":{"hash":"sha256:297bd1e95280b47c3cf1745ac065ca1aef29135c5beba6f1f990cd0bb5cb7b35"}} as unknown as DocumentNode<JobDetailQuery, JobDetailQueryVariables>;
export const JobResultsDocument = {"__meta__":{"hash":"sha256:adc18d60bf11255efea87189c2884235c13c01532cd86797b63b46ae6f3e202e"}} as unknown as DocumentNode<JobResultsQuery, JobResultsQueryVariables>;
export const JobUpdatedDocument = {"__meta__":{"hash":"sha256:8b6581ae94cee68f8d1ad2144055f96c97848c32583d35b67a2cb2cf154cbce8"}} as unknown as DocumentNode<JobUpdatedSubscription, JobUpdatedSubscriptionVariables>;
export const JobsPageDocument = {"__meta__":{"hash":"sha256:54bc603b8807a6b64041eadf658119ebdab36e50a095ce08d8309b6327a3c18f"}} as unknown as DocumentNode<JobsPageQuery, JobsPageQueryVariables>;