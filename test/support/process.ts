/**
 * Runs the real entry point (`src/main.ts`) as a child process, the way `npm start` does, and
 * collects what it prints.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface GatewayProcess extends AsyncDisposable {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  /** Resolves with the first JSON log line matching `predicate`, written already or to come. */
  waitForLog(
    predicate: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  exit: Promise<number | null>;
}

/**
 * `main` from the sources by default; with `from`, the node arguments and directory of another
 * build of it (the image's files, say).
 */
export function runMain(env: Record<string, string>, from?: { cwd: string; args: string[] }): GatewayProcess {
  const child = spawn(process.execPath, from?.args ?? ['--import', 'tsx', 'src/main.ts'], {
    cwd: from?.cwd ?? ROOT,
    // Only what the test gives: a developer's own LLAMA_CLOUD_API_KEY must not leak in.
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const waiters: Array<{
    predicate: (line: Record<string, unknown>) => boolean;
    resolve: (line: Record<string, unknown>) => void;
  }> = [];
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const text of lines.filter(Boolean)) {
      stdout.push(text);
      const line = JSON.parse(text) as Record<string, unknown>;
      for (const waiter of [...waiters]) {
        if (waiter.predicate(line)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    }
  });
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
  const exit = once(child, 'exit').then(([code]) => code as number | null);

  return {
    child,
    stdout,
    stderr,
    exit,
    waitForLog(predicate, timeoutMs = 15_000) {
      // A line already written counts too.
      for (const text of stdout) {
        const line = JSON.parse(text) as Record<string, unknown>;
        if (predicate(line)) return Promise.resolve(line);
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no matching log line within ${timeoutMs} ms; stderr: ${stderr.join('')}`)),
          timeoutMs,
        );
        waiters.push({
          predicate,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
        void exit.then(() => reject(new Error(`process exited; stderr: ${stderr.join('')}`)));
      });
    },
    async [Symbol.asyncDispose]() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exit;
      }
    },
  };
}

/** A GraphQL POST to a gateway process at `url`: its status and parsed body. */
export async function graphql(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(new URL('/graphql', url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Starts `main` and resolves once it listens, with the URL it listens on. */
export async function startMain(env: Record<string, string>): Promise<GatewayProcess & { url: string }> {
  const proc = runMain(env);
  // Generous: under the full suite on two cores, a process loading tsx and the OpenTelemetry SDK
  // has taken over 15 s to listen.
  const ready = await proc.waitForLog((line) => line.msg === 'gateway listening', 40_000);
  return Object.assign(proc, { url: String(ready.url) });
}
