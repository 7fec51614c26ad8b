/**
 * A real redis-server for tests (Debian's package; `.ci/run` installs it), on a free loopback
 * port, with nothing persisted. Stopped by its pid; `restart` brings it back, empty, on the same
 * port, as after a crash.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

export interface TestRedis extends AsyncDisposable {
  /** `redis://:password@127.0.0.1:port/0`. */
  url: string;
  password: string;
  port: number;
  stop(): Promise<void>;
  restart(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startRedis(password = `redis-pw-${Math.random().toString(36).slice(2)}`): Promise<TestRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    const process_ = spawn(
      'redis-server',
      // DEBUG SLEEP lets a test make Redis slow.
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--requirepass',
        password,
        '--enable-debug-command',
        'yes',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = process_;
    await new Promise<void>((resolve, reject) => {
      let out = '';
      process_.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        if (out.includes('Ready to accept connections')) resolve();
      });
      process_.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${out}`)));
      process_.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          error.code === 'ENOENT'
            ? new Error(
                "redis-server is not installed: the tests of shared state need a real one. Install Debian's " +
                  'package (`sudo apt-get install redis-server`), as `.ci/run` does.',
              )
            : error,
        ),
      );
    });
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    running.kill('SIGKILL');
    await once(running, 'exit');
  };
  await start();
  return {
    url: `redis://:${password}@127.0.0.1:${port}/0`,
    password,
    port,
    stop,
    async restart() {
      await stop();
      await start();
    },
    [Symbol.asyncDispose]: stop,
  };
}
