/**
 * The enum values LlamaCloud sends that this gateway does not know (served as UNKNOWN): each is
 * logged once and counted, with a bounded number of distinct values per enum so that a stream of
 * made-up values cannot grow the metrics or the log without end.
 */
import type { Logger } from '../observability/logger.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import { UNKNOWN_WIRE_VALUE } from './wire.js';

/** Distinct unknown values logged and labelled per enum; more count as "other". */
const TRACKED_PER_ENUM = 20;
/** How much of a value is logged or labelled: it is LlamaCloud's text. */
const SHOWN_CHARS = 64;

export class UnknownValues {
  readonly #seen = new Map<string, Set<string>>();

  constructor(
    private readonly logger: Logger | undefined,
    private readonly metrics: GatewayMetrics | undefined,
    private readonly scrub: (text: string) => string,
  ) {}

  /** Looks through a validated answer (a page, or one job) for jobs and items served as UNKNOWN. */
  report(answer: unknown): void {
    const records = (answer as { items?: unknown } | null)?.items;
    for (const record of Array.isArray(records) ? (records as unknown[]) : [answer]) {
      const model = record as { status?: unknown; rawStatus?: string; jobType?: unknown; rawJobType?: string };
      if (model.status === UNKNOWN_WIRE_VALUE) {
        this.#seenOne(model.jobType === undefined ? 'BatchJobItemStatus' : 'BatchJobStatus', model.rawStatus ?? '');
      }
      if (model.jobType === UNKNOWN_WIRE_VALUE) this.#seenOne('BatchJobType', model.rawJobType ?? '');
    }
  }

  #seenOne(enumName: string, raw: string): void {
    let seen = this.#seen.get(enumName);
    if (!seen) this.#seen.set(enumName, (seen = new Set()));
    const tracked = seen.has(raw) || seen.size < TRACKED_PER_ENUM;
    const shown = this.scrub(raw).slice(0, SHOWN_CHARS);
    if (tracked && !seen.has(raw)) {
      seen.add(raw);
      this.logger?.warn(
        { enum: enumName, value: shown },
        'LlamaCloud sent a value this gateway does not know; it is served as UNKNOWN',
      );
    }
    this.metrics?.unknownEnumValues.inc({ enum: enumName, value: tracked ? shown : 'other' });
  }
}
