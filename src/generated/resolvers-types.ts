import type { BatchJobTypeValue as BatchJobType } from '../upstream/wire.js';
import type { BatchJobStatusValue as BatchJobStatus } from '../upstream/wire.js';
import type { BatchJobItemStatusValue as BatchJobItemStatus } from '../upstream/wire.js';
import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { BatchJobModel, BatchJobItemModel } from '../upstream/wire.js';
import type { GatewayContext } from '../graphql/context.js';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
export type EnumResolverSignature<T, AllowedValues = any> = { [key in keyof T]?: AllowedValues };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /**
   * An ISO 8601 date-time in UTC with millisecond precision, for example `2026-01-31T09:30:00.000Z`.
   * The gateway normalises whatever offset or precision LlamaCloud sends to this one form, so clients
   * can compare and sort the strings directly.
   */
  DateTime: { input: string; output: string; }
  _FieldSet: { input: string; output: string; }
};

/** The generation of LlamaCloud's batch API this gateway calls (LLAMA_CLOUD_BATCH_API). */
export enum BatchApiGeneration {
  /** The beta `/api/v1/beta/batch-processing`: counters, progress, items, offset paging, job-type filters. */
  V1 = 'V1',
  /** `/api/v2/batches`: per-file results, THROTTLED, created-at filters, cursor paging only (`after`). */
  V2 = 'V2'
}

/**
 * A batch-processing job: one parse, extract or classify run over the files of a directory.
 * A federation entity keyed by `id`: other subgraphs may reference jobs by id alone.
 */
export type BatchJob = {
  __typename?: 'BatchJob';
  /** When the job reached a terminal status; null until it has (always under v2). */
  completedAt: Maybe<Scalars['DateTime']['output']>;
  /**
   * The saved configuration or preset (such as `cfg-PARSE_AGENTIC`) every file is processed with
   * (batch API v2; null under v1, whose jobs carry their parameters inline).
   */
  configurationId: Maybe<Scalars['String']['output']>;
  /** When the job was created. */
  createdAt: Maybe<Scalars['DateTime']['output']>;
  /** The directory being processed. */
  directoryId: Maybe<Scalars['ID']['output']>;
  /** The time LlamaCloud considers the job's record effective from (null under v2). */
  effectiveAt: Maybe<Scalars['DateTime']['output']>;
  /**
   * The error of the latest attempt, as LlamaCloud wrote it (any text, including HTML: escape it
   * before display). Null under v2, which reports errors per file in `results`.
   */
  errorMessage: Maybe<Scalars['String']['output']>;
  /** Items that failed; null when LlamaCloud has not reported it (always under v2). */
  failedItems: Maybe<Scalars['Int']['output']>;
  /** The job's id, for example `bjb-...`. Opaque: do not parse it. */
  id: Scalars['ID']['output'];
  /**
   * The job's items (one per file), one page at a time. Batch API v1 only: under v2, which has no
   * items, this is BAD_USER_INPUT; select `results` instead.
   */
  items: BatchJobItemConnection;
  /** LlamaCloud's internal job-record id, for support requests (null under v2). */
  jobRecordId: Maybe<Scalars['ID']['output']>;
  /** What the job does with each file. */
  jobType: BatchJobType;
  /** Items processed so far; null when LlamaCloud has not reported it (always under v2). */
  processedItems: Maybe<Scalars['Int']['output']>;
  /**
   * Progress from 0 to 100. For a job fetched by id (`batchJob`, or an entity reference) this is
   * LlamaCloud's own `progress_percentage`; for a job from a list it is computed as
   * `processedItems / totalItems * 100`, rounded to two decimals (0 when the job has no items).
   * Null under v2, which reports no progress for a batch: follow the jobs in `results`.
   */
  progressPercentage: Maybe<Scalars['Float']['output']>;
  /** The LlamaCloud project that owns the job. */
  projectId: Scalars['ID']['output'];
  /** The type as LlamaCloud sent it, for values newer than this gateway (`jobType` is then UNKNOWN). */
  rawJobType: Scalars['String']['output'];
  /** The status as LlamaCloud sent it, for values newer than this gateway (`status` is then UNKNOWN). */
  rawStatus: Scalars['String']['output'];
  /**
   * What became of each file: the parse or extract job it became, or why none was made (batch API
   * v2; null under v1, and while LlamaCloud lists none yet). A v2 job from a list is read again by
   * id for this, one upstream call per job (shared with other readers).
   */
  results: Maybe<Array<BatchJobResult>>;
  /** Items skipped (already processed, or over the size limit); null when not reported (always under v2). */
  skippedItems: Maybe<Scalars['Int']['output']>;
  /** When processing started; null until it has (always under v2). */
  startedAt: Maybe<Scalars['DateTime']['output']>;
  /** Where the job is in its life. */
  status: BatchJobStatus;
  /**
   * How many items (files) the job covers. Under batch API v2, which has no counters, the number of
   * `results` LlamaCloud lists (0 until it lists any); for a v2 job from a list, reading it costs one
   * upstream call per job (shared with other readers).
   */
  totalItems: Scalars['Int']['output'];
  /** When the job last changed. */
  updatedAt: Maybe<Scalars['DateTime']['output']>;
  /** LlamaCloud's internal workflow id, for support requests (null under v2). */
  workflowId: Maybe<Scalars['ID']['output']>;
};


/**
 * A batch-processing job: one parse, extract or classify run over the files of a directory.
 * A federation entity keyed by `id`: other subgraphs may reference jobs by id alone.
 */
export type BatchJobItemsArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
  offset?: InputMaybe<Scalars['Int']['input']>;
  status?: InputMaybe<BatchJobItemStatus>;
};

/** A page of batch jobs. */
export type BatchJobConnection = {
  __typename?: 'BatchJobConnection';
  /** The jobs of this page with their cursors, in LlamaCloud's order. */
  edges: Array<BatchJobEdge>;
  /** The jobs of this page, without cursors: the same as `edges { node }`. */
  nodes: Array<BatchJob>;
  /** Where this page sits in the whole list. */
  pageInfo: PageInfo;
  /** How many jobs match the filter in all; null when LlamaCloud did not say (it may also be an estimate). */
  totalCount: Maybe<Scalars['Int']['output']>;
};

/** One job in a `BatchJobConnection`, with the cursor that points at it. */
export type BatchJobEdge = {
  __typename?: 'BatchJobEdge';
  /** An opaque cursor for this edge's position in the list. Do not parse it. */
  cursor: Scalars['String']['output'];
  /** The job. */
  node: BatchJob;
};

/** Narrows `batchJobs`. Every field is optional; fields given are combined with AND. */
export type BatchJobFilter = {
  /** Only jobs created at or after this time (batch API v2 only; BAD_USER_INPUT under v1). */
  createdAtOnOrAfter?: InputMaybe<Scalars['DateTime']['input']>;
  /** Only jobs created at or before this time (batch API v2 only; BAD_USER_INPUT under v1). */
  createdAtOnOrBefore?: InputMaybe<Scalars['DateTime']['input']>;
  /** Only jobs over this directory (for example `dir-...`): v1's `directory_id`, v2's `source_directory_id`. */
  directoryId?: InputMaybe<Scalars['ID']['input']>;
  /** Only jobs of this type (batch API v1 only: v2 cannot filter by type, and says BAD_USER_INPUT). */
  jobType?: InputMaybe<BatchJobType>;
  /** Only jobs of this LlamaCloud organization. */
  organizationId?: InputMaybe<Scalars['ID']['input']>;
  /** Only jobs of this LlamaCloud project. Omit it to use the project of the gateway's API key. */
  projectId?: InputMaybe<Scalars['ID']['input']>;
  /** Only jobs in this status. */
  status?: InputMaybe<BatchJobStatus>;
};

/** One item (a file) of a batch job. */
export type BatchJobItem = {
  __typename?: 'BatchJobItem';
  /** When processing of the item ended. */
  completedAt: Maybe<Scalars['DateTime']['output']>;
  /** The time LlamaCloud considers the item's record effective from. */
  effectiveAt: Maybe<Scalars['DateTime']['output']>;
  /** Why processing failed, as LlamaCloud wrote it (escape it before display). */
  errorMessage: Maybe<Scalars['String']['output']>;
  /** The item's id. Opaque. */
  id: Scalars['ID']['output'];
  /** The file's name. */
  name: Scalars['String']['output'];
  /** The status as LlamaCloud sent it, for values newer than this gateway (`status` is then UNKNOWN). */
  rawStatus: Scalars['String']['output'];
  /** Why the item was skipped. */
  skipReason: Maybe<Scalars['String']['output']>;
  /** When processing of the item started. */
  startedAt: Maybe<Scalars['DateTime']['output']>;
  /** Where the item is. */
  status: BatchJobItemStatus;
};

/** A page of a job's items. */
export type BatchJobItemConnection = {
  __typename?: 'BatchJobItemConnection';
  /** The items of this page with their cursors. */
  edges: Array<BatchJobItemEdge>;
  /** The items of this page, without cursors. */
  nodes: Array<BatchJobItem>;
  /** Where this page sits in the whole list. */
  pageInfo: PageInfo;
  /** How many items match in all; null when LlamaCloud did not say. */
  totalCount: Maybe<Scalars['Int']['output']>;
};

/** One item in a `BatchJobItemConnection`, with its cursor. */
export type BatchJobItemEdge = {
  __typename?: 'BatchJobItemEdge';
  /** An opaque cursor for this edge's position. Do not parse it. */
  cursor: Scalars['String']['output'];
  /** The item. */
  node: BatchJobItem;
};

export { BatchJobItemStatus };

/** A LlamaCloud job that one file of a batch became; follow it in LlamaCloud's parse or extract API. */
export type BatchJobReference = {
  __typename?: 'BatchJobReference';
  /** The job's id. */
  id: Scalars['ID']['output'];
  /** The kind of job, as LlamaCloud names it (for example `parse`). */
  type: Scalars['String']['output'];
};

/** What became of one file of a v2 batch (`BatchJob.results`). */
export type BatchJobResult = {
  __typename?: 'BatchJobResult';
  /** Why no job was made for the file, as LlamaCloud wrote it (escape it before display). */
  errorMessage: Maybe<Scalars['String']['output']>;
  /** The parse or extract job LlamaCloud made for the file; null when it made none (see `errorMessage`). */
  job: Maybe<BatchJobReference>;
  /** The file in the source directory (`dfl-...`): the stable key to match results with files. */
  sourceDirectoryFileId: Scalars['ID']['output'];
};

export { BatchJobStatus };

export { BatchJobType };

/** An inline webhook for a v2 batch: where LlamaCloud POSTs its events. */
export type BatchWebhookInput = {
  /**
   * Which events to send (for example `batch.success`); omit it for all of them. At most 50, and
   * not empty: LlamaCloud refuses an empty list.
   */
  events?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Headers LlamaCloud adds to each delivery, at most 20 (for example an authorization for your receiver). */
  headers?: InputMaybe<Array<HttpHeaderInput>>;
  /** How the payload is written; LlamaCloud's default is STRING. */
  outputFormat?: InputMaybe<WebhookOutputFormat>;
  /**
   * The secret LlamaCloud signs each delivery with (`LC-Signature`), 16 to 256 characters. Write-only:
   * never returned, logged or kept by the gateway.
   */
  signingSecret?: InputMaybe<Scalars['String']['input']>;
  /** An `https://` URL (or `http://` for a loopback address), at most 2048 characters. */
  url: Scalars['String']['input'];
};

/**
 * A new batch job: what it does with each file, and which files. Some fields belong to one
 * generation of LlamaCloud's batch API; giving one under the other is BAD_USER_INPUT naming it.
 */
export type CreateBatchJobInput = {
  /** v2 only, required there: a saved configuration's id, or a preset such as `cfg-PARSE_AGENTIC`. */
  configurationId?: InputMaybe<Scalars['String']['input']>;
  /**
   * The directory whose files the job covers (`dir-...`). v1: give this or `itemIds`, not both. v2:
   * required (LlamaCloud's `source_directory_id`).
   */
  directoryId?: InputMaybe<Scalars['ID']['input']>;
  /** v1 only: only these items (files), at most 1000. Give this or `directoryId`, not both. */
  itemIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** v1: PARSE or CLASSIFY (v1 creates no EXTRACT batch). v2: PARSE or EXTRACT (v2 has no CLASSIFY). */
  jobType: BatchJobType;
  /**
   * v1 only: the parse or classify parameters as a JSON object (LlamaCloud's `job_config` for that
   * type), at most 64 KB, passed on as given; the gateway adds the job type. Omit it for the defaults.
   */
  parametersJson?: InputMaybe<Scalars['String']['input']>;
  /** v2 only: saved webhook configurations to notify about this batch, at most 10. */
  webhookConfigurationIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** v2 only: webhooks to notify about this batch, given inline, at most 10. */
  webhooks?: InputMaybe<Array<BatchWebhookInput>>;
};

/** One HTTP header. */
export type HttpHeaderInput = {
  /** The header's name (letters, digits and `-`). */
  name: Scalars['String']['input'];
  /** The header's value, at most 1024 characters, no line breaks. */
  value: Scalars['String']['input'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Asks LlamaCloud to cancel a job and returns the job as it stands afterwards. Never retried. A job
   * that already finished gives UPSTREAM_REJECTED with LlamaCloud's reason. With AUTH_MODE=jwt the
   * caller needs the cancel scope (JWT_CANCEL_SCOPE). Under batch API v2 the cancel is asynchronous:
   * the job returned is usually still RUNNING, and reaches CANCELLED once LlamaCloud has stopped its
   * files (files already finished keep their results); watch `batchJobUpdated` for that. v2 keeps no
   * `reason`.
   */
  cancelBatchJob: BatchJob;
  /**
   * Starts a batch job over a directory's files (or some of them) and returns it as LlamaCloud
   * created it (usually PENDING). Checked before any upstream call; the POST is never retried. Give
   * an `idempotencyKey` to make your own retry safe: the same key from the same caller within 24
   * hours returns the first result without creating a second job (a different input with a used key
   * is BAD_USER_INPUT). With AUTH_MODE=jwt the caller needs the create scope (JWT_CREATE_SCOPE).
   */
  createBatchJob: BatchJob;
};


export type MutationCancelBatchJobArgs = {
  id: Scalars['ID']['input'];
  reason?: InputMaybe<Scalars['String']['input']>;
};


export type MutationCreateBatchJobArgs = {
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  input: CreateBatchJobInput;
};

/** Where a page sits in the whole list (Relay connection spec). Shareable: other subgraphs define it too. */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** The cursor of the last edge; null when the page is empty. */
  endCursor: Maybe<Scalars['String']['output']>;
  /** True when more items follow this page. */
  hasNextPage: Scalars['Boolean']['output'];
  /** True when items precede this page (the page did not start at offset 0). */
  hasPreviousPage: Scalars['Boolean']['output'];
  /** The cursor of the first edge; null when the page is empty. */
  startCursor: Maybe<Scalars['String']['output']>;
};

export type Query = {
  __typename?: 'Query';
  /** Which generation of LlamaCloud's batch API this gateway calls: what a frontend can ask of it. */
  batchApiGeneration: BatchApiGeneration;
  /** One job by id, with LlamaCloud's own progress. Null when LlamaCloud does not know the id. */
  batchJob: Maybe<BatchJob>;
  /**
   * Lists batch jobs in LlamaCloud's order, one page at a time. To fetch the next page, pass
   * `pageInfo.endCursor` as `after` (both generations), or under v1 `offset` + the number of edges
   * you received.
   */
  batchJobs: BatchJobConnection;
};


export type QueryBatchJobArgs = {
  id: Scalars['ID']['input'];
};


export type QueryBatchJobsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<BatchJobFilter>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  offset?: InputMaybe<Scalars['Int']['input']>;
};

export type Subscription = {
  __typename?: 'Subscription';
  /**
   * The job each time it changes (status, counters, progress), starting with how it is now; over
   * Server-Sent Events. The stream completes after a terminal status (COMPLETED, FAILED, CANCELLED).
   * Upstream errors arrive as coded errors without ending the stream.
   */
  batchJobUpdated: BatchJob;
};


export type SubscriptionBatchJobUpdatedArgs = {
  id: Scalars['ID']['input'];
};

/** How LlamaCloud writes a webhook's payload. */
export enum WebhookOutputFormat {
  Json = 'JSON',
  String = 'STRING'
}



export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

/** Mapping of federation types */
export type FederationTypes = {
  BatchJob: BatchJob;
};

/** Mapping of federation reference types */
export type FederationReferenceTypes = {
  BatchJob:
    ( { __typename: 'BatchJob' }
    & GraphQLRecursivePick<FederationTypes['BatchJob'], {"id":true}> );
};



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  BatchApiGeneration: BatchApiGeneration;
  BatchJob: ResolverTypeWrapper<BatchJobModel>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  BatchJobConnection: ResolverTypeWrapper<Omit<BatchJobConnection, 'edges' | 'nodes'> & { edges: Array<ResolversTypes['BatchJobEdge']>, nodes: Array<ResolversTypes['BatchJob']> }>;
  BatchJobEdge: ResolverTypeWrapper<Omit<BatchJobEdge, 'node'> & { node: ResolversTypes['BatchJob'] }>;
  BatchJobFilter: BatchJobFilter;
  BatchJobItem: ResolverTypeWrapper<BatchJobItemModel>;
  BatchJobItemConnection: ResolverTypeWrapper<Omit<BatchJobItemConnection, 'edges' | 'nodes'> & { edges: Array<ResolversTypes['BatchJobItemEdge']>, nodes: Array<ResolversTypes['BatchJobItem']> }>;
  BatchJobItemEdge: ResolverTypeWrapper<Omit<BatchJobItemEdge, 'node'> & { node: ResolversTypes['BatchJobItem'] }>;
  BatchJobItemStatus: BatchJobItemStatus;
  BatchJobReference: ResolverTypeWrapper<BatchJobReference>;
  BatchJobResult: ResolverTypeWrapper<BatchJobResult>;
  BatchJobStatus: BatchJobStatus;
  BatchJobType: BatchJobType;
  BatchWebhookInput: BatchWebhookInput;
  CreateBatchJobInput: CreateBatchJobInput;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  HttpHeaderInput: HttpHeaderInput;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  WebhookOutputFormat: WebhookOutputFormat;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  BatchJob: BatchJobModel;
  String: Scalars['String']['output'];
  ID: Scalars['ID']['output'];
  Int: Scalars['Int']['output'];
  Float: Scalars['Float']['output'];
  BatchJobConnection: Omit<BatchJobConnection, 'edges' | 'nodes'> & { edges: Array<ResolversParentTypes['BatchJobEdge']>, nodes: Array<ResolversParentTypes['BatchJob']> };
  BatchJobEdge: Omit<BatchJobEdge, 'node'> & { node: ResolversParentTypes['BatchJob'] };
  BatchJobFilter: BatchJobFilter;
  BatchJobItem: BatchJobItemModel;
  BatchJobItemConnection: Omit<BatchJobItemConnection, 'edges' | 'nodes'> & { edges: Array<ResolversParentTypes['BatchJobItemEdge']>, nodes: Array<ResolversParentTypes['BatchJobItem']> };
  BatchJobItemEdge: Omit<BatchJobItemEdge, 'node'> & { node: ResolversParentTypes['BatchJobItem'] };
  BatchJobReference: BatchJobReference;
  BatchJobResult: BatchJobResult;
  BatchWebhookInput: BatchWebhookInput;
  CreateBatchJobInput: CreateBatchJobInput;
  DateTime: Scalars['DateTime']['output'];
  HttpHeaderInput: HttpHeaderInput;
  Mutation: Record<PropertyKey, never>;
  PageInfo: PageInfo;
  Boolean: Scalars['Boolean']['output'];
  Query: Record<PropertyKey, never>;
  Subscription: Record<PropertyKey, never>;
};

export type BatchJobResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['BatchJob'] = ResolversParentTypes['BatchJob'], FederationReferenceType extends FederationReferenceTypes['BatchJob'] = FederationReferenceTypes['BatchJob']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['BatchJob']> | FederationReferenceType, FederationReferenceType, ContextType>;
  completedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  configurationId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  createdAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  directoryId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  effectiveAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  errorMessage?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  failedItems?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  items?: Resolver<ResolversTypes['BatchJobItemConnection'], ParentType, ContextType, RequireFields<BatchJobItemsArgs, 'limit' | 'offset'>>;
  jobRecordId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  jobType?: Resolver<ResolversTypes['BatchJobType'], ParentType, ContextType>;
  processedItems?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  progressPercentage?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  projectId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  rawJobType?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  rawStatus?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  results?: Resolver<Maybe<Array<ResolversTypes['BatchJobResult']>>, ParentType, ContextType>;
  skippedItems?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  startedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['BatchJobStatus'], ParentType, ContextType>;
  totalItems?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  updatedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  workflowId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
};

export type BatchJobConnectionResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['BatchJobConnection'] = ResolversParentTypes['BatchJobConnection']> = {
  edges?: Resolver<Array<ResolversTypes['BatchJobEdge']>, ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['BatchJob']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
};

export type BatchJobEdgeResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['BatchJobEdge'] = ResolversParentTypes['BatchJobEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['BatchJob'], ParentType, ContextType>;
};

export type BatchJobItemResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['BatchJobItem'] = ResolversParentTypes['BatchJobItem']> = {
  completedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  effectiveAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  errorMessage?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  rawStatus?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  skipReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  startedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['BatchJobItemStatus'], ParentType, ContextType>;
};

export type BatchJobItemConnectionResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['BatchJobItemConnection'] = ResolversParentTypes['BatchJobItemConnection']> = {
  edges?: Resolver<Array<ResolversTypes['BatchJobItemEdge']>, ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['BatchJobItem']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
};

export type BatchJobItemEdgeResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['BatchJobItemEdge'] = ResolversParentTypes['BatchJobItemEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['BatchJobItem'], ParentType, ContextType>;
};

export type BatchJobItemStatusResolvers = EnumResolverSignature<{ CANCELLED?: any, COMPLETED?: any, FAILED?: any, PENDING?: any, PROCESSING?: any, SKIPPED?: any, UNKNOWN?: any }, ResolversTypes['BatchJobItemStatus']>;

export type BatchJobReferenceResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['BatchJobReference'] = ResolversParentTypes['BatchJobReference']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type BatchJobResultResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['BatchJobResult'] = ResolversParentTypes['BatchJobResult']> = {
  errorMessage?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  job?: Resolver<Maybe<ResolversTypes['BatchJobReference']>, ParentType, ContextType>;
  sourceDirectoryFileId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type BatchJobStatusResolvers = EnumResolverSignature<{ CANCELLED?: any, COMPLETED?: any, DISPATCHED?: any, FAILED?: any, PENDING?: any, RUNNING?: any, THROTTLED?: any, UNKNOWN?: any }, ResolversTypes['BatchJobStatus']>;

export type BatchJobTypeResolvers = EnumResolverSignature<{ CLASSIFY?: any, EXTRACT?: any, PARSE?: any, UNKNOWN?: any }, ResolversTypes['BatchJobType']>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type MutationResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  cancelBatchJob?: Resolver<ResolversTypes['BatchJob'], ParentType, ContextType, RequireFields<MutationCancelBatchJobArgs, 'id'>>;
  createBatchJob?: Resolver<ResolversTypes['BatchJob'], ParentType, ContextType, RequireFields<MutationCreateBatchJobArgs, 'input'>>;
};

export type PageInfoResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type QueryResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  batchApiGeneration?: Resolver<ResolversTypes['BatchApiGeneration'], ParentType, ContextType>;
  batchJob?: Resolver<Maybe<ResolversTypes['BatchJob']>, ParentType, ContextType, RequireFields<QueryBatchJobArgs, 'id'>>;
  batchJobs?: Resolver<ResolversTypes['BatchJobConnection'], ParentType, ContextType, RequireFields<QueryBatchJobsArgs, 'limit' | 'offset'>>;
};

export type SubscriptionResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = {
  batchJobUpdated?: SubscriptionResolver<ResolversTypes['BatchJob'], "batchJobUpdated", ParentType, ContextType, RequireFields<SubscriptionBatchJobUpdatedArgs, 'id'>>;
};

export type Resolvers<ContextType = GatewayContext> = {
  BatchJob?: BatchJobResolvers<ContextType>;
  BatchJobConnection?: BatchJobConnectionResolvers<ContextType>;
  BatchJobEdge?: BatchJobEdgeResolvers<ContextType>;
  BatchJobItem?: BatchJobItemResolvers<ContextType>;
  BatchJobItemConnection?: BatchJobItemConnectionResolvers<ContextType>;
  BatchJobItemEdge?: BatchJobItemEdgeResolvers<ContextType>;
  BatchJobItemStatus?: BatchJobItemStatusResolvers;
  BatchJobReference?: BatchJobReferenceResolvers<ContextType>;
  BatchJobResult?: BatchJobResultResolvers<ContextType>;
  BatchJobStatus?: BatchJobStatusResolvers;
  BatchJobType?: BatchJobTypeResolvers;
  DateTime?: GraphQLScalarType;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
};

