import { createServer } from 'node:http';
import { createYoga } from 'graphql-yoga';
import { buildSchema } from '../dist/schema.js';
const yoga = createYoga({ schema: buildSchema(), logging: false, graphiql: false, landingPage: false });
createServer(yoga).listen(4998, '127.0.0.1');
