/**
 * The README's production example, run as pasted: the `export` lines of its block are the
 * gateway's whole environment (beside where it listens), and it must start and serve.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { runMain } from './support/process.js';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The `export` lines of the first sh block after `heading`, as an environment. */
function exportsAfter(heading: string): Record<string, string> {
  const start = README.indexOf(heading);
  if (start === -1) throw new Error(`the README has no "${heading}"`);
  // The first block that sets variables (a block may only start a script).
  const blocks = [...README.slice(start).matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  const block = blocks.find((b) => b.includes('export ')) ?? '';
  const env: Record<string, string> = {};
  for (const line of block.split('\n')) {
    const match = /^export ([A-Z_]+)=(\S+)$/.exec(line);
    if (match?.[1] && match[2]) env[match[1]] = match[2];
    else if (line.trim() !== '' && line.trim() !== 'npm start') throw new Error(`not a plain export line: ${line}`);
  }
  return env;
}

const productionExample = () => exportsAfter('A minimal production environment');

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

  it('runs production over the demo upstream as the README says, with no LlamaCloud key', async () => {
    const env = exportsAfter('Trying production mode without a LlamaCloud key');
    expect(env).toMatchObject({ NODE_ENV: 'production', LLAMA_CLOUD_BASE_URL: 'http://127.0.0.1:4010' });
    // `npm run demo:upstream` is the build, then this script; the port is the README's.
    const demo = spawn(process.execPath, ['--import', 'tsx', 'src/demo/serve.ts'], {
      cwd: fileURLToPath(new URL('../', import.meta.url)),
      env: { PATH: process.env.PATH ?? '' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const [first] = (await once(demo.stdout, 'data')) as [Buffer];
      expect(JSON.parse(first.toString('utf8'))).toMatchObject({
        msg: 'demo upstream listening',
        url: 'http://127.0.0.1:4010/',
      });
      await using proc = runMain(env);
      const ready = await proc.waitForLog((line) => line.msg === 'gateway listening', 20_000);
      expect(ready.graphiql).toBeUndefined();
      expect(ready.dashboard).toBeDefined();
      const res = await fetch(new URL('/graphql', String(ready.url)), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ batchJobs(limit: 3) { totalCount nodes { id } } }' }),
      });
      const body = (await res.json()) as { data: { batchJobs: { totalCount: number; nodes: unknown[] } } };
      expect(res.status).toBe(200);
      expect(body.data.batchJobs.totalCount).toBeGreaterThanOrEqual(300);
      expect(body.data.batchJobs.nodes).toHaveLength(3);
    } finally {
      demo.kill('SIGTERM');
      await once(demo, 'exit');
    }
  });
});
