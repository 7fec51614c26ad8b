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

/**
 * A batch-processing job: one parse, extract or classify run over the files of a directory.
 * A federation entity keyed by `id`: other subgraphs may reference jobs by id alone.
 */
export type BatchJob = {
  __typename?: 'BatchJob';
  /** When the job reached a terminal status; null until it has. */
  completedAt: Maybe<Scalars['DateTime']['output']>;
  /** When the job was created. */
  createdAt: Maybe<Scalars['DateTime']['output']>;
  /** The directory being processed. */
  directoryId: Maybe<Scalars['ID']['output']>;
  /** The time LlamaCloud considers the job's record effective from. */
  effectiveAt: Maybe<Scalars['DateTime']['output']>;
  /** The error of the latest attempt, as LlamaCloud wrote it (any text, including HTML: escape it before display). */
  errorMessage: Maybe<Scalars['String']['output']>;
  /** Items that failed; null when LlamaCloud has not reported it. */
  failedItems: Maybe<Scalars['Int']['output']>;
  /** The job's id, for example `bjb-…`. Opaque: do not parse it. */
  id: Scalars['ID']['output'];
  /** The job's items (one per file), one page at a time. */
  items: BatchJobItemConnection;
  /** LlamaCloud's internal job-record id, for support requests. */
  jobRecordId: Maybe<Scalars['ID']['output']>;
  /** What the job does with each file. */
  jobType: BatchJobType;
  /** Items processed so far; null when LlamaCloud has not reported it. */
  processedItems: Maybe<Scalars['Int']['output']>;
  /**
   * Progress from 0 to 100. For a job fetched by id (`batchJob`, or an entity reference) this is
   * LlamaCloud's own `progress_percentage`; for a job from a list it is computed as
   * `processedItems / totalItems * 100`, rounded to two decimals (0 when the job has no items).
   */
  progressPercentage: Maybe<Scalars['Float']['output']>;
  /** The LlamaCloud project that owns the job. */
  projectId: Scalars['ID']['output'];
  /** The type as LlamaCloud sent it, for values newer than this gateway (`jobType` is then UNKNOWN). */
  rawJobType: Scalars['String']['output'];
  /** The status as LlamaCloud sent it, for values newer than this gateway (`status` is then UNKNOWN). */
  rawStatus: Scalars['String']['output'];
  /** Items skipped (already processed, or over the size limit); null when not reported. */
  skippedItems: Maybe<Scalars['Int']['output']>;
  /** When processing started; null until it has. */
  startedAt: Maybe<Scalars['DateTime']['output']>;
  /** Where the job is in its life. */
  status: BatchJobStatus;
  /** How many items (files) the job covers. */
  totalItems: Scalars['Int']['output'];
  /** When the job last changed. */
  updatedAt: Maybe<Scalars['DateTime']['output']>;
  /** LlamaCloud's internal workflow id, for support requests. */
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
  /** Only jobs over this directory (for example `dir-…`). */
  directoryId?: InputMaybe<Scalars['ID']['input']>;
  /** Only jobs of this type. */
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

export { BatchJobStatus };

export { BatchJobType };

/** A new batch job: what it does with each file, and which files. */
export type CreateBatchJobInput = {
  /** The directory whose files the job covers (`dir-…`). Give this or `itemIds`, not both. */
  directoryId?: InputMaybe<Scalars['ID']['input']>;
  /** Only these items (files), at most 1000. Give this or `directoryId`, not both. */
  itemIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** PARSE or CLASSIFY (LlamaCloud's batch API v1 creates no EXTRACT batch). */
  jobType: BatchJobType;
  /**
   * The parse or classify parameters as a JSON object (LlamaCloud's `job_config` for that type),
   * at most 64 KB, passed on as given; the gateway adds the job type. Omit it for the defaults.
   */
  parametersJson?: InputMaybe<Scalars['String']['input']>;
};

export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Asks LlamaCloud to cancel a job and returns the job as it stands afterwards. Never retried. A job
   * that already finished gives UPSTREAM_REJECTED with LlamaCloud's reason. With AUTH_MODE=jwt the
   * caller needs the cancel scope (JWT_CANCEL_SCOPE).
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
  /** One job by id, with LlamaCloud's own progress. Null when LlamaCloud does not know the id. */
  batchJob: Maybe<BatchJob>;
  /**
   * Lists batch jobs in LlamaCloud's order, one page at a time.
   * To fetch the next page, pass `offset` + the number of edges you received.
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
  BatchJob: ResolverTypeWrapper<BatchJobModel>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  BatchJobConnection: ResolverTypeWrapper<Omit<BatchJobConnection, 'edges' | 'nodes'> & { edges: Array<ResolversTypes['BatchJobEdge']>, nodes: Array<ResolversTypes['BatchJob']> }>;
  BatchJobEdge: ResolverTypeWrapper<Omit<BatchJobEdge, 'node'> & { node: ResolversTypes['BatchJob'] }>;
  BatchJobFilter: BatchJobFilter;
  BatchJobItem: ResolverTypeWrapper<BatchJobItemModel>;
  BatchJobItemConnection: ResolverTypeWrapper<Omit<BatchJobItemConnection, 'edges' | 'nodes'> & { edges: Array<ResolversTypes['BatchJobItemEdge']>, nodes: Array<ResolversTypes['BatchJobItem']> }>;
  BatchJobItemEdge: ResolverTypeWrapper<Omit<BatchJobItemEdge, 'node'> & { node: ResolversTypes['BatchJobItem'] }>;
  BatchJobItemStatus: BatchJobItemStatus;
  BatchJobStatus: BatchJobStatus;
  BatchJobType: BatchJobType;
  CreateBatchJobInput: CreateBatchJobInput;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  BatchJob: BatchJobModel;
  ID: Scalars['ID']['output'];
  String: Scalars['String']['output'];
  Int: Scalars['Int']['output'];
  Float: Scalars['Float']['output'];
  BatchJobConnection: Omit<BatchJobConnection, 'edges' | 'nodes'> & { edges: Array<ResolversParentTypes['BatchJobEdge']>, nodes: Array<ResolversParentTypes['BatchJob']> };
  BatchJobEdge: Omit<BatchJobEdge, 'node'> & { node: ResolversParentTypes['BatchJob'] };
  BatchJobFilter: BatchJobFilter;
  BatchJobItem: BatchJobItemModel;
  BatchJobItemConnection: Omit<BatchJobItemConnection, 'edges' | 'nodes'> & { edges: Array<ResolversParentTypes['BatchJobItemEdge']>, nodes: Array<ResolversParentTypes['BatchJobItem']> };
  BatchJobItemEdge: Omit<BatchJobItemEdge, 'node'> & { node: ResolversParentTypes['BatchJobItem'] };
  CreateBatchJobInput: CreateBatchJobInput;
  DateTime: Scalars['DateTime']['output'];
  Mutation: Record<PropertyKey, never>;
  PageInfo: PageInfo;
  Boolean: Scalars['Boolean']['output'];
  Query: Record<PropertyKey, never>;
  Subscription: Record<PropertyKey, never>;
};

export type BatchJobResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['BatchJob'] = ResolversParentTypes['BatchJob'], FederationReferenceType extends FederationReferenceTypes['BatchJob'] = FederationReferenceTypes['BatchJob']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['BatchJob']> | FederationReferenceType, FederationReferenceType, ContextType>;
  completedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
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

export type BatchJobStatusResolvers = EnumResolverSignature<{ CANCELLED?: any, COMPLETED?: any, DISPATCHED?: any, FAILED?: any, PENDING?: any, RUNNING?: any, UNKNOWN?: any }, ResolversTypes['BatchJobStatus']>;

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
  BatchJobStatus?: BatchJobStatusResolvers;
  BatchJobType?: BatchJobTypeResolvers;
  DateTime?: GraphQLScalarType;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
};

