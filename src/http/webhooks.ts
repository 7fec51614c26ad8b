/**
 * `POST /webhooks/llamacloud`: LlamaCloud's signed batch webhooks push a job's change the moment
 * LlamaCloud knows it, instead of at the next poll. Served only when LLAMA_CLOUD_WEBHOOK_SECRET
 * is set (otherwise the path is a 404 like any other).
 *
 * In order, before anything is parsed: a small body limit, then `LC-Signature: sha256=<hex>`
 * checked as HMAC-SHA256 of the raw body with the secret, in constant time. Every refusal is the
 * same 401 with no detail (a prober learns nothing). The scheme has no timestamp, so a replay of
 * the same (batch id, status, body) seen in the last REPLAY_WINDOW_MS is acknowledged and dropped.
 * Then the job is read fresh from LlamaCloud (the payload's shape is undocumented beyond
 * `status`) and pushed to every `batchJobUpdated` subscriber, on every replica with REDIS_URL,
 * and the kept answers about jobs are dropped. Bodies are never logged.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { context } from '@opentelemetry/api';
import { LRUCache } from 'lru-cache';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../observability/logger.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import type { LiveJobs } from '../sharing/live-jobs.js';
import { traceContextOfServer } from '../observability/tracing.js';

export const WEBHOOK_PATH = '/webhooks/llamacloud';
/** Largest webhook body accepted: a batch event is a few hundred bytes. */
export const WEBHOOK_MAX_BYTES = 64 * 1024;
/** How long an event is remembered to drop its replays. */
const REPLAY_WINDOW_MS = 10 * 60 * 1000;
const SIGNATURE = /^sha256=([0-9a-fA-F]{64})$/;

export type WebhookOutcome = 'accepted' | 'duplicate' | 'refused' | 'too_large' | 'ignored';

export interface WebhookSettings {
  secret: string;
  live: LiveJobs;
  logger: Logger;
  metrics: GatewayMetrics;
  /** Drops kept answers about jobs, so reads after the push are fresh. */
  forgetJobs: () => void;
}

/** The batch id and status of a payload, wherever LlamaCloud puts them (the shape is undocumented). */
function eventOf(payload: unknown): { id: string; status: string } | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const record = payload as Record<string, unknown>;
  const nested = [record, record.data, record.batch].filter(
    (part): part is Record<string, unknown> => typeof part === 'object' && part !== null,
  );
  const pick = (names: string[]) => {
    for (const part of nested) {
      for (const name of names) if (typeof part[name] === 'string' && part[name] !== '') return part[name];
    }
    return null;
  };
  const id = pick(['batch_id', 'job_id', 'id']);
  return id ? { id, status: pick(['status']) ?? '' } : null;
}

export function useWebhooks({ secret, live, logger, metrics, forgetJobs }: WebhookSettings): Plugin {
  const seen = new LRUCache<string, true>({ max: 10_000, ttl: REPLAY_WINDOW_MS });
  const answer = (fetchAPI: { Response: typeof Response }, status: number, outcome: WebhookOutcome) => {
    metrics.webhooks.inc({ outcome });
    return new fetchAPI.Response(status === 401 ? null : JSON.stringify({ received: true }), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  };
  return {
    // Not async itself: every other request passes by without a promise.
    onRequest(payload) {
      if (payload.url.pathname !== WEBHOOK_PATH || payload.request.method !== 'POST') return;
      return receive(payload);
    },
  };

  async function receive(payload: Parameters<NonNullable<Plugin['onRequest']>>[0]): Promise<void> {
    const { request, fetchAPI } = payload;
    if (Number(request.headers.get('content-length') ?? '0') > WEBHOOK_MAX_BYTES) {
      payload.endResponse(answer(fetchAPI, 413, 'too_large'));
      return;
    }
    const raw = Buffer.from(await request.arrayBuffer());
    if (raw.length > WEBHOOK_MAX_BYTES) {
      payload.endResponse(answer(fetchAPI, 413, 'too_large'));
      return;
    }
    const given = SIGNATURE.exec(request.headers.get('lc-signature') ?? '')?.[1]?.toLowerCase();
    const expected = createHmac('sha256', secret).update(raw).digest('hex');
    if (given === undefined || !timingSafeEqual(Buffer.from(given), Buffer.from(expected))) {
      payload.endResponse(answer(fetchAPI, 401, 'refused'));
      return;
    }
    let event: { id: string; status: string } | null = null;
    try {
      event = eventOf(JSON.parse(raw.toString('utf8')));
    } catch {
      event = null;
    }
    if (!event) {
      // Signed, so LlamaCloud's: acknowledged (a non-2xx would only be retried), not acted on.
      logger.warn('a signed webhook named no batch; acknowledged and ignored');
      payload.endResponse(answer(fetchAPI, 202, 'ignored'));
      return;
    }
    const key = `${event.id}\n${event.status}\n${createHash('sha256').update(raw).digest('hex')}`;
    if (seen.has(key)) {
      payload.endResponse(answer(fetchAPI, 202, 'duplicate'));
      return;
    }
    seen.set(key, true);
    logger.info({ batchId: event.id, status: event.status }, 'webhook: the job changed; pushing it to its subscribers');
    forgetJobs();
    // The read and the push belong to the webhook's trace (tracing on).
    const traced = traceContextOfServer(payload.serverContext);
    void (traced ? context.with(traced, () => live.refresh(event.id)) : live.refresh(event.id));
    payload.endResponse(answer(fetchAPI, 202, 'accepted'));
  }
}
