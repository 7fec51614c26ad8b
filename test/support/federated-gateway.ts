/**
 * A real Apollo Federation gateway (Apollo Server + @apollo/gateway) in-process, over HTTP, in
 * front of the subgraphs it is given, composed with @apollo/composition the way a CI step would.
 */
import { composeServices } from '@apollo/composition';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { parse } from 'graphql';

export interface SubgraphSpec {
  name: string;
  url: URL;
  sdl: string;
}

export function compose(subgraphs: SubgraphSpec[]) {
  return composeServices(subgraphs.map((s) => ({ name: s.name, url: s.url.href, typeDefs: parse(s.sdl) })));
}

export async function startFederatedGateway(subgraphs: SubgraphSpec[]) {
  // No usage metrics or cloud-metadata probes from the gateway: tests reach loopback only.
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const composition = compose(subgraphs);
  if (composition.errors) throw new Error(composition.errors.map((e) => e.message).join('\n'));
  const server = new ApolloServer({
    gateway: new ApolloGateway({ supergraphSdl: composition.supergraphSdl }),
  });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  const close = () => server.stop();
  return {
    url: new URL(url),
    async query(query: string, variables?: Record<string, unknown>) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
