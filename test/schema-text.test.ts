import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SCHEMA_DIR = new URL('../schema/', import.meta.url);

/**
 * Builds the schema in a fresh process (so no earlier string decides how V8 stores a name) and
 * prints the names of types, fields and enum values that V8 keeps two bytes per character. The
 * serialiser's tag tells: `"` for a one-byte string, `c` for a two-byte one.
 */
const LIST_TWO_BYTE_NAMES = `
import v8 from 'node:v8';
import { isEnumType, isInputObjectType, isInterfaceType, isObjectType } from 'graphql';
import { buildSchema } from './src/graphql/schema.ts';
const twoByte = (s) => String.fromCharCode(v8.serialize(s)[2]) === 'c';
const found = [];
for (const [typeName, type] of Object.entries(buildSchema().getTypeMap())) {
  if (twoByte(typeName)) found.push(typeName);
  if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
    for (const [name, field] of Object.entries(type.getFields())) {
      if (twoByte(name) || twoByte(field.name)) found.push(typeName + '.' + name);
    }
  }
  if (isEnumType(type)) for (const value of type.getValues()) if (twoByte(value.name)) found.push(typeName + '.' + value.name);
}
process.stdout.write(JSON.stringify(found));
`;

describe('the schema text', () => {
  // Apollo's subgraph builder prints the SDL and parses it again, so every name in the schema is
  // cut from a text that holds the descriptions too. One character beyond Latin-1 there (an
  // ellipsis, a dash, a curly quote) makes V8 store that whole text, and the names cut from it,
  // two bytes per character. Those names are the keys of every result, and one two-byte key makes
  // each serialised response two-byte: twice the memory, a flattening copy to measure its UTF-8
  // length, and a slower encode on the socket write (about 1.09x the rate on distinct pages once
  // gone, bench/README.md).
  it('is Latin-1 in every file of schema/, descriptions included', () => {
    const beyond: string[] = [];
    for (const name of readdirSync(SCHEMA_DIR).filter((file) => file.endsWith('.graphql'))) {
      readFileSync(new URL(name, SCHEMA_DIR), 'utf8')
        .split('\n')
        .forEach((line, index) => {
          for (const char of line) if (char.codePointAt(0)! > 0xff) beyond.push(`${name}:${index + 1}: ${char}`);
        });
    }
    expect(beyond, 'write "..." for an ellipsis, "-" or ":" for a dash, straight quotes for curly ones').toEqual([]);
  });

  it('gives the built schema one-byte names, the keys every result is made of', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', LIST_TWO_BYTE_NAMES],
      { cwd: ROOT },
    );
    expect(JSON.parse(stdout)).toEqual([]);
  });
});
