/**
 * A second federation subgraph for composition tests: a "directories" service that owns
 * `Directory` and references batch jobs by key only, as another team's service would.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { createYoga } from 'graphql-yoga';

export const DIRECTORY_SDL = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key", "@shareable"])

  "A folder of files in LlamaCloud."
  type Directory @key(fields: "id") {
    id: ID!
    name: String!
    "Batch jobs run over this directory, newest first."
    batchJobs: [BatchJob!]!
  }

  type BatchJob @key(fields: "id", resolvable: false) {
    id: ID!
  }

  "Where a page sits in the whole list (Relay connection spec). Shareable: other subgraphs define it too."
  type PageInfo @shareable {
    hasNextPage: Boolean!
    hasPreviousPage: Boolean!
    startCursor: String
    endCursor: String
  }

  type Query {
    directories: [Directory!]!
  }
`;

export interface DirectoryRecord {
  id: string;
  name: string;
  jobIds: string[];
}

export async function startDirectorySubgraph(directories: DirectoryRecord[]) {
  const schema = buildSubgraphSchema({
    typeDefs: parse(DIRECTORY_SDL),
    resolvers: {
      Query: { directories: () => directories },
      Directory: {
        batchJobs: (directory: DirectoryRecord) => directory.jobIds.map((id) => ({ id })),
      },
    },
  });
  const yoga = createYoga({ schema, graphqlEndpoint: '/graphql', logging: false });
  const server = createServer(yoga.requestListener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return { url: new URL(`http://127.0.0.1:${port}/graphql`), close, [Symbol.asyncDispose]: close };
}
