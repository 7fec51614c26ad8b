/**
 * The HTTP server around the app, with a graceful stop: no new connections, requests in flight
 * finish, then the upstream pool closes.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from './app.js';

export interface RunningServer {
  /** The address the server listens on, e.g. `http://127.0.0.1:4000`. */
  url: URL;
  server: Server;
  /** Stops accepting, waits up to `graceMs` for requests in flight, then releases the app. */
  close(graceMs?: number): Promise<void>;
}

export async function listen(app: App, options: { host: string; port: number }): Promise<RunningServer> {
  const server = createServer(app.yoga.requestListener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  const shownHost = host === '0.0.0.0' || host === '[::]' ? 'localhost' : host;
  let closing: Promise<void> | undefined;
  return {
    url: new URL(`http://${shownHost}:${port}`),
    server,
    close(graceMs = 10_000) {
      closing ??= (async () => {
        app.beginShutdown();
        const drained = new Promise<void>((resolve) => server.close(() => resolve()));
        // Keep-alive sockets would hold close() open until they time out: close each one as soon
        // as its request in flight has been answered.
        server.closeIdleConnections();
        const sweeper = setInterval(() => server.closeIdleConnections(), 50);
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        await drained;
        clearInterval(sweeper);
        clearTimeout(timer);
        await app.close();
      })();
      return closing;
    },
  };
}
