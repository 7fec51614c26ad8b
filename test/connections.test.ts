import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startFakeUpstream, wireJobs } from './support/fake-upstream.js';
import { metricValue, startGateway, type TestGateway } from './support/gateway.js';

/** A raw client socket from `localAddress` (another loopback address stands for another client). */
async function openSocket(gateway: TestGateway, localAddress = '127.0.0.1'): Promise<Socket> {
  const socket = connect({ host: gateway.url.hostname, port: Number(gateway.url.port), localAddress });
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return socket;
}

/** What the server wrote before it closed the socket, and how long that took. */
function closed(socket: Socket): Promise<{ text: string; afterMs: number }> {
  const started = performance.now();
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return new Promise((resolve) => socket.once('close', () => resolve({ text, afterMs: performance.now() - started })));
}

describe('connection bounds', () => {
  it('caps connections per client address, so one client holding many slow sockets cannot crowd others out (upstream: a page)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.replyJson(200, { items: wireJobs(1), total_size: 1 });
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: { MAX_CONNECTIONS_PER_IP: '25' } });

    // 60 sockets from one address that start a request and never finish its headers.
    const slow = await Promise.all(Array.from({ length: 60 }, () => openSocket(gateway, '127.0.0.2')));
    const endings = slow.map((socket) => closed(socket));
    for (const socket of slow) socket.write('POST /graphql HTTP/1.1\r\nHost: x\r\n');
    await gateway.waitForMetrics(
      (m) => metricValue(m, 'gateway_http_connections_refused_total', { reason: 'maxConnectionsPerIp' }) === 35,
    );
    // Another client is served as usual meanwhile.
    const answers = await Promise.all(Array.from({ length: 20 }, () => gateway.query('{ batchJobs { totalCount } }')));

    expect(answers.map((a): unknown => a.body)).toEqual(
      Array.from({ length: 20 }, () => ({ data: { batchJobs: { totalCount: 1 } } })),
    );
    for (const socket of slow) socket.destroy();
    const refused = (await Promise.all(endings)).filter((e) => e.text === '');
    expect(refused.length).toBeGreaterThanOrEqual(35);
  });

  it('closes connections over MAX_CONNECTIONS on arrival', async () => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({
      upstreamUrl: upstream.url,
      env: { MAX_CONNECTIONS: '5', MAX_CONNECTIONS_PER_IP: '0' },
    });

    const held = await Promise.all(Array.from({ length: 5 }, () => openSocket(gateway, '127.0.0.3')));
    const extra = await openSocket(gateway, '127.0.0.4');
    const ending = await closed(extra);

    expect(ending.text).toBe('');
    // Free the slots (the server sees the sockets close a moment later), then read the metric.
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const metrics = await gateway.metrics();
    expect(metricValue(metrics, 'gateway_http_connections_refused_total', { reason: 'maxConnections' })).toBe(1);
  });

  it('answers 408 and closes a connection whose headers do not arrive within HEADERS_TIMEOUT_MS', async () => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: { HEADERS_TIMEOUT_MS: '300' } });

    const socket = await openSocket(gateway);
    const ending = closed(socket);
    socket.write('POST /graphql HTTP/1.1\r\nHost: x\r\n');

    const { text, afterMs } = await ending;
    expect(text).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    // Checked every half second, not every thirty (Node's default).
    expect(afterMs).toBeLessThan(2000);
  });

  it('answers 408 and closes a connection whose body does not arrive within REQUEST_TIMEOUT_MS', async () => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({
      upstreamUrl: upstream.url,
      env: { HEADERS_TIMEOUT_MS: '300', REQUEST_TIMEOUT_MS: '600' },
    });

    const socket = await openSocket(gateway);
    const ending = closed(socket);
    socket.write(
      'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"query":',
    );

    const { text, afterMs } = await ending;
    expect(text).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(afterMs).toBeLessThan(2500);
    expect(upstream.requests).toHaveLength(0);
  });
});
