/**
 * All configuration, read from the environment once at boot into one typed object. Nothing else in
 * the gateway reads `process.env`. Every problem is collected, so one failed start lists them all.
 */
import type { Level } from 'pino';

export interface Config {
  server: {
    host: string;
    port: number;
  };
  upstream: {
    /** LlamaCloud's base URL (in demo mode, replaced by the embedded demo upstream's). */
    baseUrl: URL;
    /** The LlamaCloud key; null means demo mode. */
    apiKey: string | null;
    timeoutMs: number;
    maxConnections: number;
    /** Most by-id upstream calls one GraphQL request runs at once (entity batches). */
    maxConcurrency: number;
    /** Most upstream requests waiting for a connection before new ones fail fast. */
    maxQueue: number;
    /** Retries of an idempotent GET (408, 429, 502, 503, 504, connection errors). */
    maxRetries: number;
    /** First retry delay before jitter; doubles with each attempt. */
    retryBaseDelayMs: number;
    /** Identical GETs within this many ms are served from memory; 0 turns the cache off. */
    cacheTtlMs: number;
  };
  /** The overall budget of one GraphQL request; upstream timeouts and retries stay within it. */
  requestDeadlineMs: number;
  breaker: {
    /** Consecutive upstream failures that open the circuit. */
    threshold: number;
    /** How long an open circuit fails fast before one trial call. */
    cooldownMs: number;
  };
  log: {
    level: Level;
  };
  /** True when no API key is configured: the gateway serves an embedded demo upstream. */
  demo: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export const DEFAULT_BASE_URL = 'https://api.cloud.llamaindex.ai';
const LOG_LEVELS: readonly Level[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];

type Env = Readonly<Record<string, string | undefined>>;

/** Parses the environment. Throws a ConfigError listing every problem at once. */
export function parseConfig(env: Env): Config {
  const problems: string[] = [];
  const read = new EnvReader(env, problems);

  const apiKey = read.secret('LLAMA_CLOUD_API_KEY');
  const baseUrlSet = read.isSet('LLAMA_CLOUD_BASE_URL');
  const baseUrl = read.url('LLAMA_CLOUD_BASE_URL', DEFAULT_BASE_URL);
  if (apiKey === null && baseUrlSet) {
    problems.push(
      'LLAMA_CLOUD_BASE_URL is set but LLAMA_CLOUD_API_KEY is not: set the key too, or unset both to run in demo mode.',
    );
  }

  const config: Config = {
    server: {
      host: read.string('HOST', '0.0.0.0'),
      port: read.integer('PORT', 4000, 0, 65535),
    },
    upstream: {
      baseUrl,
      apiKey,
      timeoutMs: read.integer('UPSTREAM_TIMEOUT_MS', 10_000, 1, 600_000),
      maxConnections: read.integer('UPSTREAM_MAX_CONNECTIONS', 32, 1, 1024),
      maxConcurrency: read.integer('UPSTREAM_MAX_CONCURRENCY', 8, 1, 256),
      maxQueue: read.integer('UPSTREAM_MAX_QUEUE', 256, 0, 100_000),
      maxRetries: read.integer('UPSTREAM_MAX_RETRIES', 2, 0, 10),
      retryBaseDelayMs: read.integer('UPSTREAM_RETRY_BASE_DELAY_MS', 200, 1, 60_000),
      cacheTtlMs: read.integer('UPSTREAM_CACHE_TTL_MS', 0, 0, 3_600_000),
    },
    requestDeadlineMs: read.integer('REQUEST_DEADLINE_MS', 15_000, 1, 600_000),
    breaker: {
      threshold: read.integer('BREAKER_THRESHOLD', 5, 1, 1000),
      cooldownMs: read.integer('BREAKER_COOLDOWN_MS', 10_000, 1, 3_600_000),
    },
    log: {
      level: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    },
    demo: apiKey === null,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** Reads typed values from the environment, recording a problem (and returning the default) on bad input. */
class EnvReader {
  constructor(
    private readonly env: Env,
    private readonly problems: string[],
  ) {}

  isSet(name: string): boolean {
    return (this.env[name] ?? '').trim() !== '';
  }

  private raw(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === '' ? undefined : value;
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  /** A secret is never quoted back in a problem. */
  secret(name: string): string | null {
    const value = this.env[name];
    if (value === undefined || value.trim() === '') return null;
    if (/\s/.test(value)) {
      this.problems.push(`${name} contains white space; paste the key alone, without quotes or spaces.`);
      return null;
    }
    return value;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const n = /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      this.problems.push(`${name} must be a whole number from ${min} to ${max}; got ${JSON.stringify(value)}.`);
      return fallback;
    }
    return n;
  }

  url(name: string, fallback: string): URL {
    const value = this.raw(name) ?? fallback;
    let url: URL | null = null;
    try {
      url = new URL(value);
    } catch {
      // reported below
    }
    if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      this.problems.push(`${name} must be an http(s) URL such as ${DEFAULT_BASE_URL}; got ${JSON.stringify(value)}.`);
      return new URL(fallback);
    }
    if (url.search || url.hash || url.username || url.password) {
      // Not quoted back: the URL may hold a password.
      this.problems.push(`${name} must be a plain base URL, without a query, fragment or credentials.`);
    }
    return url;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.problems.push(`${name} must be one of ${allowed.join(', ')}; got ${JSON.stringify(value)}.`);
    return fallback;
  }
}
