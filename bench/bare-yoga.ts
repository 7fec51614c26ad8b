/**
 * The framework's own floor, for comparison in `npm run bench`: graphql-yoga over the gateway's
 * schema with no plugins, no logging, no metrics and no security. Never deployed. Prints
 * `{"port": N}` on stdout once listening.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createYoga } from 'graphql-yoga';
import { buildSchema } from '../src/schema.js';

const yoga = createYoga({ schema: buildSchema(), logging: false, graphiql: false, landingPage: false });
const server = createServer(yoga.requestListener);
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.on('SIGTERM', () => process.exit(0));
