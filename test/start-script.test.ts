import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const { scripts } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  scripts: Record<string, string>;
};

describe('npm start', () => {
  it('runs the built entry point with V8 flags this Node accepts', () => {
    const words = (scripts.start ?? '').split(/\s+/);
    expect(words[0]).toBe('node');
    expect(words.at(-1)).toBe('dist/main.js');
    const flags = words.slice(1, -1);
    expect(flags.length).toBeGreaterThan(0);

    // A flag V8 does not know stops node before it runs anything: check them all on this Node.
    const run = spawnSync(process.execPath, [...flags, '-e', 'process.stdout.write("ok")'], { encoding: 'utf8' });

    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('ok');
  });
});
