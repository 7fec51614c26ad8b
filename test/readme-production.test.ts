/**
 * The README's production example, run as pasted: the `export` lines of its block are the
 * gateway's whole environment (beside where it listens), and it must start and serve.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runMain } from './support/process.js';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

function productionExample(): Record<string, string> {
  const start = README.indexOf('A minimal production environment');
  const block = /```sh\n([\s\S]*?)```/.exec(README.slice(start))?.[1] ?? '';
  const env: Record<string, string> = {};
  for (const line of block.split('\n')) {
    const match = /^export ([A-Z_]+)=(\S+)$/.exec(line);
    if (match?.[1] && match[2]) env[match[1]] = match[2];
    else if (line.trim() !== '' && line.trim() !== 'npm start') throw new Error(`not a plain export line: ${line}`);
  }
  return env;
}

describe("the README's production example", () => {
  it('starts the gateway as pasted, in production mode, refusing callers without a token', async () => {
    const env = productionExample();
    expect(Object.keys(env)).toContain('PERSISTED_OPERATIONS_FILE');
    await using proc = runMain(env);
    const ready = await proc.waitForLog((line) => line.msg === 'gateway listening', 20_000);

    // Production: no GraphiQL advertised, and every GraphQL request needs a token.
    expect(ready.graphiql).toBeUndefined();
    const res = await fetch(new URL('/graphql', String(ready.url)), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(res.status).toBe(401);
    expect((await fetch(new URL('/health', String(ready.url)))).status).toBe(200);
  });

  it('warns at start when production accepts every caller (AUTH_MODE=none)', async () => {
    await using proc = runMain({ NODE_ENV: 'production', AUTH_MODE: 'none', LLAMA_CLOUD_API_KEY: 'llx-test' });

    const warning = await proc.waitForLog(
      (line) => String(line.msg).startsWith('AUTH_MODE=none in production'),
      20_000,
    );
    expect(warning.msg).toBe(
      'AUTH_MODE=none in production: every caller is accepted. Put an authenticating proxy in front, or set AUTH_MODE=jwt.',
    );
    const ready = await proc.waitForLog((line) => line.msg === 'gateway listening');
    expect(ready.graphiql).toBeUndefined();
    expect(ready.dashboard).toBeUndefined();
  });
});
