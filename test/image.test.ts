/**
 * No container runtime runs here, so the image is checked for real another way: the files the
 * Dockerfile's final stage copies are laid out in a temporary directory exactly as it copies them,
 * production dependencies are installed there with `npm ci --omit=dev` as the image does, and
 * `node dist/main.js` started from there with the image's own command must answer a query.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startFakeUpstream, wireJobs } from './support/fake-upstream.js';
import { TEST_API_KEY } from './support/gateway.js';
import { graphql, runMain } from './support/process.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
/** The final stage: what the image holds. */
const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };

/** The image's CMD as an argv array. */
function imageCommand(): string[] {
  const line = /^CMD (\[.*\])$/m.exec(runtime)?.[1];
  if (!line) throw new Error('the Dockerfile has no exec-form CMD');
  return JSON.parse(line) as string[];
}

describe('the container image (Dockerfile)', () => {
  it('runs as a non-root user, checks /health, and starts with the Node flags of npm start', () => {
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^HEALTHCHECK .*\/health/m);
    expect(runtime).toMatch(/^RUN npm ci --omit=dev/m);
    expect(imageCommand()).toEqual(scripts.start.split(/\s+/));
  });

  it('serves a query from exactly the files it copies, with production dependencies only (upstream: a page)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gateway-image-'));
    try {
      for (const [, from, to] of runtime.matchAll(/^COPY (?!--from)(.+) (\S+)$/gm)) {
        const sources = (from ?? '').split(/\s+/);
        for (const source of sources) {
          const target = (to ?? '').endsWith('/') ? join(dir, to ?? '', source) : join(dir, to ?? '');
          cpSync(join(ROOT, source), target, { recursive: true });
        }
      }
      // The build stage's output: the same compiler run as `npm run build`, into the image's dist/.
      expect(runtime).toMatch(/^COPY --from=build \/app\/dist \.\/dist$/m);
      execFileSync(process.execPath, [
        join(ROOT, 'node_modules/typescript/bin/tsc'),
        '-p',
        join(ROOT, 'tsconfig.build.json'),
        '--outDir',
        join(dir, 'dist'),
      ]);
      execFileSync('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'ignore' });
      // No dev dependency slipped in: the test runner and the compiler are not there.
      expect(() => readFileSync(join(dir, 'node_modules/vitest/package.json'))).toThrow();
      expect(() => readFileSync(join(dir, 'node_modules/typescript/package.json'))).toThrow();

      await using upstream = await startFakeUpstream();
      upstream.replyJson(200, { items: wireJobs(2), total_size: 2 });
      const [, ...args] = imageCommand();
      await using proc = runMain(
        {
          NODE_ENV: 'production',
          AUTH_MODE: 'none',
          LLAMA_CLOUD_API_KEY: TEST_API_KEY,
          LLAMA_CLOUD_BASE_URL: upstream.url.href,
        },
        { cwd: dir, args },
      );
      const ready = await proc.waitForLog((line) => line.msg === 'gateway listening', 30_000);

      const answer = await graphql(String(ready.url), '{ batchJobs(limit: 2) { totalCount nodes { id } } }');
      expect(answer).toEqual({
        status: 200,
        body: { data: { batchJobs: { totalCount: 2, nodes: [{ id: 'bjb-0000' }, { id: 'bjb-0001' }] } } },
      });
      expect((await fetch(new URL('/health', String(ready.url)))).status).toBe(200);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
