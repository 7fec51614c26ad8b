/**
 * The framework's own floor, for comparison in `npm run bench`: graphql-yoga over the gateway's
 * schema with no plugins, no logging, no metrics and no security. Never deployed. Prints
 * `{"port": N}` on stdout once listening.
 *
 * With BENCH_CANNED_ANSWER (a file holding a GraphQL response), every request is answered with
 * that response as soon as its parameters are read, without executing: what Yoga alone costs to
 * send a page the gateway already has in memory.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createYoga, type Plugin } from 'graphql-yoga';
import type { ExecutionResult } from 'graphql';
import { buildSchema } from '../src/graphql/schema.js';

function cannedAnswer(file: string): Plugin {
  const json = readFileSync(file, 'utf8');
  // Serialised as read, the way the gateway serialises a shared result once for every client.
  const result = Object.assign(JSON.parse(json) as ExecutionResult, { stringify: () => json });
  return {
    onParams({ setResult }) {
      setResult(result);
    },
  };
}

const canned = process.env.BENCH_CANNED_ANSWER;
const yoga = createYoga({
  schema: buildSchema(),
  logging: false,
  graphiql: false,
  landingPage: false,
  plugins: canned ? [cannedAnswer(canned)] : [],
});
const server = createServer(yoga.requestListener);
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.on('SIGTERM', () => process.exit(0));
