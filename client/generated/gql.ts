/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "mutation CancelJob($id: ID!, $reason: String) {\n  cancelBatchJob(id: $id, reason: $reason) {\n    id\n    status\n    processedItems\n    progressPercentage\n    completedAt\n  }\n}": typeof types.CancelJobDocument,
    "query JobDetail($id: ID!, $itemsLimit: Int = 50, $itemsOffset: Int = 0) {\n  batchJob(id: $id) {\n    ...JobDetailFields\n    items(limit: $itemsLimit, offset: $itemsOffset) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n      }\n      nodes {\n        id\n        name\n        status\n        errorMessage\n      }\n    }\n  }\n}": typeof types.JobDetailDocument,
    "query JobResults($id: ID!) {\n  batchJob(id: $id) {\n    ...JobDetailFields\n    results {\n      sourceDirectoryFileId\n      errorMessage\n      job {\n        id\n        type\n      }\n    }\n  }\n}": typeof types.JobResultsDocument,
    "fragment JobSummary on BatchJob {\n  id\n  jobType\n  status\n  rawStatus\n  directoryId\n  totalItems\n  processedItems\n  failedItems\n  progressPercentage\n}\n\nfragment JobDetailFields on BatchJob {\n  ...JobSummary\n  skippedItems\n  errorMessage\n  createdAt\n  startedAt\n  completedAt\n}": typeof types.JobSummaryFragmentDoc,
    "subscription JobUpdated($id: ID!) {\n  batchJobUpdated(id: $id) {\n    id\n    status\n    rawStatus\n    totalItems\n    processedItems\n    failedItems\n    skippedItems\n    progressPercentage\n    completedAt\n  }\n}": typeof types.JobUpdatedDocument,
    "query JobsPage($filter: BatchJobFilter, $limit: Int = 20, $offset: Int = 0, $after: String) {\n  batchJobs(filter: $filter, limit: $limit, offset: $offset, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      hasPreviousPage\n      endCursor\n    }\n    nodes {\n      ...JobSummary\n      createdAt\n    }\n  }\n}": typeof types.JobsPageDocument,
};
const documents: Documents = {
    "mutation CancelJob($id: ID!, $reason: String) {\n  cancelBatchJob(id: $id, reason: $reason) {\n    id\n    status\n    processedItems\n    progressPercentage\n    completedAt\n  }\n}": types.CancelJobDocument,
    "query JobDetail($id: ID!, $itemsLimit: Int = 50, $itemsOffset: Int = 0) {\n  batchJob(id: $id) {\n    ...JobDetailFields\n    items(limit: $itemsLimit, offset: $itemsOffset) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n      }\n      nodes {\n        id\n        name\n        status\n        errorMessage\n      }\n    }\n  }\n}": types.JobDetailDocument,
    "query JobResults($id: ID!) {\n  batchJob(id: $id) {\n    ...JobDetailFields\n    results {\n      sourceDirectoryFileId\n      errorMessage\n      job {\n        id\n        type\n      }\n    }\n  }\n}": types.JobResultsDocument,
    "fragment JobSummary on BatchJob {\n  id\n  jobType\n  status\n  rawStatus\n  directoryId\n  totalItems\n  processedItems\n  failedItems\n  progressPercentage\n}\n\nfragment JobDetailFields on BatchJob {\n  ...JobSummary\n  skippedItems\n  errorMessage\n  createdAt\n  startedAt\n  completedAt\n}": types.JobSummaryFragmentDoc,
    "subscription JobUpdated($id: ID!) {\n  batchJobUpdated(id: $id) {\n    id\n    status\n    rawStatus\n    totalItems\n    processedItems\n    failedItems\n    skippedItems\n    progressPercentage\n    completedAt\n  }\n}": types.JobUpdatedDocument,
    "query JobsPage($filter: BatchJobFilter, $limit: Int = 20, $offset: Int = 0, $after: String) {\n  batchJobs(filter: $filter, limit: $limit, offset: $offset, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      hasPreviousPage\n      endCursor\n    }\n    nodes {\n      ...JobSummary\n      createdAt\n    }\n  }\n}": types.JobsPageDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CancelJob($id: ID!, $reason: String) {\n  cancelBatchJob(id: $id, reason: $reason) {\n    id\n    status\n    processedItems\n    progressPercentage\n    completedAt\n  }\n}"): (typeof documents)["mutation CancelJob($id: ID!, $reason: String) {\n  cancelBatchJob(id: $id, reason: $reason) {\n    id\n    status\n    processedItems\n    progressPercentage\n    completedAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query JobDetail($id: ID!, $itemsLimit: Int = 50, $itemsOffset: Int = 0) {\n  batchJob(id: $id) {\n    ...JobDetailFields\n    items(limit: $itemsLimit, offset: $itemsOffset) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n      }\n      nodes {\n        id\n        name\n        status\n        errorMessage\n      }\n    }\n  }\n}"): (typeof documents)["query JobDetail($id: ID!, $itemsLimit: Int = 50, $itemsOffset: Int = 0) {\n  batchJob(id: $id) {\n    ...JobDetailFields\n    items(limit: $itemsLimit, offset: $itemsOffset) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n      }\n      nodes {\n        id\n        name\n        status\n        errorMessage\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query JobResults($id: ID!) {\n  batchJob(id: $id) {\n    ...JobDetailFields\n    results {\n      sourceDirectoryFileId\n      errorMessage\n      job {\n        id\n        type\n      }\n    }\n  }\n}"): (typeof documents)["query JobResults($id: ID!) {\n  batchJob(id: $id) {\n    ...JobDetailFields\n    results {\n      sourceDirectoryFileId\n      errorMessage\n      job {\n        id\n        type\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment JobSummary on BatchJob {\n  id\n  jobType\n  status\n  rawStatus\n  directoryId\n  totalItems\n  processedItems\n  failedItems\n  progressPercentage\n}\n\nfragment JobDetailFields on BatchJob {\n  ...JobSummary\n  skippedItems\n  errorMessage\n  createdAt\n  startedAt\n  completedAt\n}"): (typeof documents)["fragment JobSummary on BatchJob {\n  id\n  jobType\n  status\n  rawStatus\n  directoryId\n  totalItems\n  processedItems\n  failedItems\n  progressPercentage\n}\n\nfragment JobDetailFields on BatchJob {\n  ...JobSummary\n  skippedItems\n  errorMessage\n  createdAt\n  startedAt\n  completedAt\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription JobUpdated($id: ID!) {\n  batchJobUpdated(id: $id) {\n    id\n    status\n    rawStatus\n    totalItems\n    processedItems\n    failedItems\n    skippedItems\n    progressPercentage\n    completedAt\n  }\n}"): (typeof documents)["subscription JobUpdated($id: ID!) {\n  batchJobUpdated(id: $id) {\n    id\n    status\n    rawStatus\n    totalItems\n    processedItems\n    failedItems\n    skippedItems\n    progressPercentage\n    completedAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query JobsPage($filter: BatchJobFilter, $limit: Int = 20, $offset: Int = 0, $after: String) {\n  batchJobs(filter: $filter, limit: $limit, offset: $offset, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      hasPreviousPage\n      endCursor\n    }\n    nodes {\n      ...JobSummary\n      createdAt\n    }\n  }\n}"): (typeof documents)["query JobsPage($filter: BatchJobFilter, $limit: Int = 20, $offset: Int = 0, $after: String) {\n  batchJobs(filter: $filter, limit: $limit, offset: $offset, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      hasPreviousPage\n      endCursor\n    }\n    nodes {\n      ...JobSummary\n      createdAt\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;