/**
 * The HTTP server around the app, with a graceful stop: no new connections, requests in flight
 * finish, then the upstream pool closes.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from './app.js';
import { errorResponseBody } from './errors.js';

export interface RunningServer {
  /** The address the server listens on, e.g. `http://127.0.0.1:4000`. */
  url: URL;
  server: Server;
  /** Stops accepting, waits up to `graceMs` for requests in flight, then releases the app. */
  close(graceMs?: number): Promise<void>;
}

export async function listen(app: App, options: { host: string; port: number }): Promise<RunningServer> {
  const server = createServer((req, res) => {
    if (rejectOversizedBody(req, res, app.maxBodyBytes)) return;
    app.requestListener(req, res);
  });
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

/**
 * Enforces the body limit before Yoga reads anything: 413 when Content-Length is over `max`, and
 * 411 for a body with no declared length (chunked), which could not be checked before reading it.
 * GraphQL clients always declare the length of their JSON bodies. Returns true when answered here.
 */
function rejectOversizedBody(req: IncomingMessage, res: ServerResponse, max: number): boolean {
  let status = 0;
  let body = '';
  if (Number(req.headers['content-length']) > max) {
    status = 413;
    body = errorResponseBody(
      `The request body is larger than ${max} bytes. Send a smaller request (or a trusted operation id).`,
      'PAYLOAD_TOO_LARGE',
    );
  } else if (req.headers['transfer-encoding'] !== undefined && req.headers['content-length'] === undefined) {
    status = 411;
    body = errorResponseBody('Send the request body with a Content-Length header.', 'BAD_REQUEST');
  }
  if (status === 0) return false;
  res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
  res.end(body);
  // Let a client still sending its body see the answer, but never read more than a moment of it.
  req.resume();
  setTimeout(() => req.socket.destroy(), 1000).unref();
  return true;
}
