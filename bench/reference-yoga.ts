/**
 * A reference side of `npm run bench`, never shipped: the framework's floor for a page. Plain
 * graphql-yoga over the benchmark's 17-field slice of the schema, queries compiled by graphql-jit,
 * one undici pool to the upstream, resolvers that only map fields. No limits, auth, logging,
 * metrics, retries or validation of the upstream answer. Prints `{"port": N}` once listening.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { DocumentNode, ExecutionArgs } from 'graphql';
import { createSchema, createYoga, type Plugin } from 'graphql-yoga';
import { Pool } from 'undici';

const upstream = new URL(process.env.BENCH_UPSTREAM_URL ?? 'http://127.0.0.1:1');
const pool = new Pool(upstream.origin, { connections: 32 });

const typeDefs = /* GraphQL */ `
  type BatchJob {
    id: ID!
    jobType: String!
    projectId: String!
    status: String!
    totalItems: Int!
    processedItems: Int
    failedItems: Int
    skippedItems: Int
    directoryId: String
    errorMessage: String
    jobRecordId: String
    workflowId: String
    createdAt: String
    updatedAt: String
    startedAt: String
    completedAt: String
    effectiveAt: String
  }
  type PageInfo {
    hasNextPage: Boolean!
    endCursor: String
  }
  type BatchJobConnection {
    totalCount: Int
    pageInfo: PageInfo!
    nodes: [BatchJob!]!
  }
  type Query {
    batchJobs(limit: Int = 20, offset: Int = 0): BatchJobConnection!
  }
`;

type Wire = Record<string, unknown>;
const job = (w: Wire) => ({
  id: w.id,
  jobType: String(w.job_type).toUpperCase(),
  projectId: w.project_id,
  status: String(w.status).toUpperCase(),
  totalItems: w.total_items,
  processedItems: w.processed_items,
  failedItems: w.failed_items,
  skippedItems: w.skipped_items,
  directoryId: w.directory_id,
  errorMessage: w.error_message,
  jobRecordId: w.job_record_id,
  workflowId: w.workflow_id,
  createdAt: w.created_at,
  updatedAt: w.updated_at,
  startedAt: w.started_at,
  completedAt: w.completed_at,
  effectiveAt: w.effective_at,
});

const resolvers = {
  Query: {
    async batchJobs(_: unknown, { limit, offset }: { limit: number; offset: number }) {
      const res = await pool.request({
        method: 'GET',
        path: `${upstream.pathname.replace(/\/$/, '')}/api/v1/beta/batch-processing?limit=${limit}&offset=${offset}`,
      });
      const page = (await res.body.json()) as { items: Wire[]; total_size: number };
      const end = offset + page.items.length;
      return {
        totalCount: page.total_size,
        pageInfo: {
          hasNextPage: end < page.total_size,
          endCursor: Buffer.from(`offset:${end - 1}`).toString('base64url'),
        },
        nodes: page.items.map(job),
      };
    },
  },
};

/** Runs each document through graphql-jit, compiled once per parsed document. */
function useJit(): Plugin {
  const compiled = new WeakMap<DocumentNode, CompiledQuery>();
  return {
    onExecute({ args, setExecuteFn }) {
      const { schema, document, operationName } = args as ExecutionArgs;
      let query = compiled.get(document);
      if (!query) {
        const made = compileQuery(schema, document, operationName ?? undefined);
        if (!isCompiledQuery(made)) return;
        query = made;
        compiled.set(document, query);
      }
      const run = query;
      setExecuteFn((a) => {
        const { rootValue, contextValue, variableValues } = a as ExecutionArgs;
        return run.query(rootValue, contextValue, variableValues);
      });
    },
  };
}

const yoga = createYoga({
  schema: createSchema({ typeDefs, resolvers }),
  logging: false,
  graphiql: false,
  landingPage: false,
  plugins: [useJit()],
});
const server = createServer(yoga.requestListener);
server.listen(0, '127.0.0.1', () =>
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`),
);
process.on('SIGTERM', () => process.exit(0));
