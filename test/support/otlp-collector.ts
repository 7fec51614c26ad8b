/**
 * A small OTLP/HTTP trace collector on a loopback port, for the tracing tests: it accepts
 * `POST /v1/traces` in OTLP's JSON encoding (OTEL_EXPORTER_OTLP_PROTOCOL=http/json), keeps every
 * span flattened with its attributes as plain values, and keeps every body raw for secret scans.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CollectedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  /** OTLP's numbers: 1 internal, 2 server, 3 client. */
  kind: number;
  attributes: Record<string, unknown>;
  links: Array<{ traceId: string; spanId: string }>;
  service: unknown;
}

export interface Collector extends AsyncDisposable {
  url: URL;
  spans: CollectedSpan[];
  /** Every body received, as text. */
  bodies: string[];
  /** Resolves once a span matching `predicate` arrived (spans are exported in batches). */
  waitFor(predicate: (span: CollectedSpan) => boolean, timeoutMs?: number): Promise<CollectedSpan>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: number | string;
  boolValue?: boolean;
  doubleValue?: number;
}
type OtlpAttributes = Array<{ key: string; value: OtlpValue }> | undefined;

const plain = (value: OtlpValue): unknown =>
  value.stringValue ?? (value.intValue !== undefined ? Number(value.intValue) : (value.boolValue ?? value.doubleValue));
const attributesOf = (attributes: OtlpAttributes) =>
  Object.fromEntries((attributes ?? []).map(({ key, value }) => [key, plain(value)]));

export async function startCollector(): Promise<Collector> {
  const spans: CollectedSpan[] = [];
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      bodies.push(text);
      try {
        const body = JSON.parse(text) as {
          resourceSpans?: Array<{
            resource?: { attributes?: OtlpAttributes };
            scopeSpans?: Array<{
              spans?: Array<{
                traceId: string;
                spanId: string;
                parentSpanId?: string;
                name: string;
                kind: number;
                attributes?: OtlpAttributes;
                links?: Array<{ traceId: string; spanId: string }>;
              }>;
            }>;
          }>;
        };
        for (const resource of body.resourceSpans ?? []) {
          const service = attributesOf(resource.resource?.attributes)['service.name'];
          for (const scope of resource.scopeSpans ?? []) {
            for (const span of scope.spans ?? []) {
              spans.push({
                traceId: span.traceId,
                spanId: span.spanId,
                parentSpanId: span.parentSpanId ?? '',
                name: span.name,
                kind: span.kind,
                attributes: attributesOf(span.attributes),
                links: (span.links ?? []).map((l) => ({ traceId: l.traceId, spanId: l.spanId })),
                service,
              });
            }
          }
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } catch {
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return {
    url: new URL(`http://127.0.0.1:${port}`),
    spans,
    bodies,
    async waitFor(predicate, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const found = spans.find(predicate);
        if (found) return found;
        if (Date.now() > until)
          throw new Error(`no such span in time; got: ${[...new Set(spans.map((s) => s.name))].join(', ')}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    [Symbol.asyncDispose]: close,
  };
}
