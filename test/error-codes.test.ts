import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../src/errors.js';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe("the README's table of error codes", () => {
  it('lists exactly the codes the gateway can send, each with an HTTP status and what to do', () => {
    const section = README.slice(README.indexOf('## Errors'), README.indexOf('## For frontend apps'));
    const rows = section
      .split('\n')
      .filter((line) => /^\| `[A-Z_]+` \|/.test(line))
      .map((line) => line.split('|').map((cell) => cell.trim()));

    expect(rows.map((cells) => cells[1]?.replaceAll('`', '')).sort()).toEqual([...ERROR_CODES].sort());
    for (const cells of rows) {
      expect(cells[2], `${cells[1]}: HTTP status`).toMatch(/\d{3}/);
      expect(cells[4]?.length ?? 0, `${cells[1]}: what the client should do`).toBeGreaterThan(5);
    }
  });
});
