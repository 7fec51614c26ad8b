import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../src/config.js';
import { runMain } from './support/process.js';

describe('configuration', () => {
  it('has documented defaults, and no key means demo mode', () => {
    const config = parseConfig({});
    expect(config).toEqual({
      server: { host: '0.0.0.0', port: 4000 },
      upstream: {
        baseUrl: new URL('https://api.cloud.llamaindex.ai'),
        apiKey: null,
        timeoutMs: 10_000,
        maxConnections: 32,
        maxConcurrency: 8,
        maxQueue: 256,
        maxRetries: 2,
        retryBaseDelayMs: 200,
        cacheTtlMs: 0,
      },
      requestDeadlineMs: 15_000,
      breaker: { threshold: 5, cooldownMs: 10_000 },
      log: { level: 'info' },
      demo: true,
    });
  });

  it('reads every variable', () => {
    const config = parseConfig({
      LLAMA_CLOUD_API_KEY: 'llx-abc',
      LLAMA_CLOUD_BASE_URL: 'https://api.cloud.eu.llamaindex.ai',
      PORT: '8080',
      HOST: '127.0.0.1',
      UPSTREAM_TIMEOUT_MS: '2500',
      UPSTREAM_MAX_CONNECTIONS: '4',
      UPSTREAM_MAX_CONCURRENCY: '3',
      UPSTREAM_MAX_QUEUE: '10',
      UPSTREAM_MAX_RETRIES: '1',
      UPSTREAM_RETRY_BASE_DELAY_MS: '50',
      UPSTREAM_CACHE_TTL_MS: '250',
      REQUEST_DEADLINE_MS: '5000',
      BREAKER_THRESHOLD: '3',
      BREAKER_COOLDOWN_MS: '2000',
      LOG_LEVEL: 'warn',
    });
    expect(config).toEqual({
      server: { host: '127.0.0.1', port: 8080 },
      upstream: {
        baseUrl: new URL('https://api.cloud.eu.llamaindex.ai'),
        apiKey: 'llx-abc',
        timeoutMs: 2500,
        maxConnections: 4,
        maxConcurrency: 3,
        maxQueue: 10,
        maxRetries: 1,
        retryBaseDelayMs: 50,
        cacheTtlMs: 250,
      },
      requestDeadlineMs: 5000,
      breaker: { threshold: 3, cooldownMs: 2000 },
      log: { level: 'warn' },
      demo: false,
    });
  });

  it('lists every problem at once, and never quotes the key', () => {
    let error: unknown;
    try {
      parseConfig({
        LLAMA_CLOUD_API_KEY: 'llx-with space',
        LLAMA_CLOUD_BASE_URL: 'not a url',
        PORT: 'eighty',
        UPSTREAM_TIMEOUT_MS: '-1',
        LOG_LEVEL: 'loud',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'LLAMA_CLOUD_API_KEY contains white space; paste the key alone, without quotes or spaces.',
      'LLAMA_CLOUD_BASE_URL must be an http(s) URL such as https://api.cloud.llamaindex.ai; got "not a url".',
      'LLAMA_CLOUD_BASE_URL is set but LLAMA_CLOUD_API_KEY is not: set the key too, or unset both to run in demo mode.',
      'PORT must be a whole number from 0 to 65535; got "eighty".',
      'UPSTREAM_TIMEOUT_MS must be a whole number from 1 to 600000; got "-1".',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace; got "loud".',
    ]);
    expect((error as ConfigError).message).not.toContain('llx-with');
  });

  it.each([
    [
      'ftp://example.com',
      'LLAMA_CLOUD_BASE_URL must be an http(s) URL such as https://api.cloud.llamaindex.ai; got "ftp://example.com".',
    ],
    [
      'https://user:pw@example.com',
      'LLAMA_CLOUD_BASE_URL must be a plain base URL, without a query, fragment or credentials.',
    ],
  ])('rejects base URL %s', (url, problem) => {
    expect(() => parseConfig({ LLAMA_CLOUD_API_KEY: 'k', LLAMA_CLOUD_BASE_URL: url })).toThrow(problem);
  });

  it('stops the process with exit code 1 and one message listing every problem', async () => {
    await using proc = runMain({ PORT: '99999', LOG_LEVEL: 'chatty' });

    expect(await proc.exit).toBe(1);
    expect(proc.stderr.join('')).toBe(
      [
        'Invalid configuration:',
        '  - PORT must be a whole number from 0 to 65535; got "99999".',
        '  - LOG_LEVEL must be one of fatal, error, warn, info, debug, trace; got "chatty".',
        'Fix these environment variables and start again.',
        '',
      ].join('\n'),
    );
    expect(proc.stdout).toEqual([]);
  });
});
