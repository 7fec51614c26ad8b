/**
 * The HTTP server around the app: bounded connections (in all, per peer address, and in the time a
 * client has to send its request), and a graceful stop that drops nothing: no new connections,
 * every response from then on says `Connection: close`, requests in flight finish within the grace
 * period, and only those still running when it ends are cut (and logged as cut).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Server as NetServer, type AddressInfo, type Socket } from 'node:net';
import type { App } from '../app.js';
import type { Config } from '../config/config.js';
import { errorResponseBody } from '../errors.js';
import type { Logger } from '../observability/logger.js';

export interface RunningServer {
  /** The address the server listens on, e.g. `http://127.0.0.1:4000`. */
  url: URL;
  server: Server;
  /** Stops accepting, waits up to `graceMs` for requests in flight, then releases the app. */
  close(graceMs?: number): Promise<void>;
}

export type ListenOptions = Pick<
  Config['server'],
  | 'host'
  | 'port'
  | 'maxConnections'
  | 'maxConnectionsPerIp'
  | 'headersTimeoutMs'
  | 'requestTimeoutMs'
  | 'keepAliveTimeoutMs'
> & {
  /**
   * During shutdown, a connection idle this long is closed (one in use gets `Connection: close`).
   * A client may be sending its next request on a connection that has just gone idle.
   */
  idleCloseMs?: number;
};
/** How often header and request timeouts are checked; Node's default (30 s) lets them run long. */
const TIMEOUT_CHECK_MS = 500;

/** What the server knows of one client connection. */
interface Connection {
  socket: Socket;
  /**
   * Requests on it not yet answered (more than one only when a client pipelines). An array, not a
   * Set: a long-lived Set that gains and loses an entry per request rebuilds its table every few
   * requests, and each new table outlives young-generation collections (about 100 bytes a request
   * copied into the old generation under load); push and pop reuse the array's storage.
   */
  active: ServerResponse[];
  /** performance.now() when it last became idle. */
  idleSince: number;
}

export async function listen(app: App, options: ListenOptions, logger?: Logger): Promise<RunningServer> {
  const idleCloseMs = options.idleCloseMs ?? 1000;
  const connections = new Map<Socket, Connection>();
  const perAddress = new Map<string, number>();
  let shuttingDown = false;

  const server = createServer(
    {
      headersTimeout: Math.min(options.headersTimeoutMs, options.requestTimeoutMs),
      requestTimeout: options.requestTimeoutMs,
      keepAliveTimeout: options.keepAliveTimeoutMs,
      connectionsCheckingInterval: TIMEOUT_CHECK_MS,
    },
    (req, res) => {
      const connection = connections.get(req.socket);
      if (connection) {
        connection.active.push(res);
        res.once('close', () => {
          const { active } = connection;
          const at = active.indexOf(res);
          // pop() keeps the array's storage for the next request; splice is for a pipelined one.
          if (at >= 0 && at === active.length - 1) active.pop();
          else if (at >= 0) active.splice(at, 1);
          connection.idleSince = performance.now();
        });
      }
      if (shuttingDown) res.setHeader('connection', 'close');
      if (rejectOversizedBody(req, res, app.maxBodyBytes)) return;
      app.requestListener(req, res);
    },
  );
  server.maxConnections = options.maxConnections;
  server.on('drop', () => app.metrics.connectionsRefused.inc({ reason: 'maxConnections' }));
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const open = (perAddress.get(address) ?? 0) + 1;
    if (options.maxConnectionsPerIp > 0 && open > options.maxConnectionsPerIp) {
      app.metrics.connectionsRefused.inc({ reason: 'maxConnectionsPerIp' });
      socket.destroy();
      return;
    }
    perAddress.set(address, open);
    connections.set(socket, { socket, active: [], idleSince: performance.now() });
    socket.once('close', () => {
      connections.delete(socket);
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left > 0) perAddress.set(address, left);
      else perAddress.delete(address);
    });
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
        shuttingDown = true;
        app.beginShutdown();
        // Stop accepting, but not through http.Server#close: it also closes every idle keep-alive
        // connection at once, and a client may have just sent its next request on one (it gets
        // ECONNRESET). Instead each connection closes after the response it is serving, or once
        // it has been idle a while.
        const stopped = new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()));
        for (const connection of connections.values()) {
          for (const res of connection.active) if (!res.headersSent) res.setHeader('connection', 'close');
        }
        const sweep = () => {
          const now = performance.now();
          for (const connection of connections.values()) {
            if (connection.active.length === 0 && now - connection.idleSince >= idleCloseMs) connection.socket.end();
          }
        };
        sweep();
        const sweeper = setInterval(sweep, Math.min(100, Math.max(10, idleCloseMs)));
        const deadline = new Promise<'cut'>((resolve) => setTimeout(() => resolve('cut'), graceMs).unref());
        const outcome = await Promise.race([stopped.then(() => 'drained' as const), deadline]);
        clearInterval(sweeper);
        if (outcome === 'cut') {
          const cut = [...connections.values()].reduce((n, c) => n + c.active.length, 0);
          app.metrics.requestsCut.inc(cut);
          logger?.warn(
            { requestsCut: cut, graceMs },
            'shutdown grace period over: cutting the requests still in flight',
          );
          for (const connection of connections.values()) connection.socket.destroy();
          await stopped;
        }
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
