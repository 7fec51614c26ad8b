/**
 * Checks shared by the list fields, made before any upstream call. Each error names the argument,
 * quotes the value and says what is allowed.
 */
import { badUserInput } from '../../errors.js';
import { decodeCursor } from '../pagination.js';
import { UNKNOWN_WIRE_VALUE } from '../../upstream/wire.js';

export const MAX_LIMIT = 1000;

export function checkLimit(limit: number | null | undefined): number {
  if (typeof limit !== 'number' || limit < 1 || limit > MAX_LIMIT) {
    throw badUserInput('limit', limit ?? null, `give a whole number from 1 to ${MAX_LIMIT}`);
  }
  return limit;
}

export function checkOffset(offset: number | null | undefined): number {
  if (typeof offset !== 'number' || offset < 0) {
    throw badUserInput('offset', offset ?? null, 'give a whole number of 0 or more');
  }
  return offset;
}

/** A job id as given by the caller; throws BAD_USER_INPUT for an empty one. */
export function checkJobId(id: string): string {
  if (id.trim() === '') throw badUserInput('id', id, 'give the id of a batch job, such as "bjb-…"');
  return id;
}

/** A non-empty id of something else than a job (a directory, an item). */
export function checkId(argument: string, id: string): string {
  if (id.trim() === '') throw badUserInput(argument, id, 'give a non-empty id');
  return id;
}

/** The offset after a cursor; throws BAD_USER_INPUT for anything this API did not hand out. */
export function offsetAfter(cursor: string): number {
  const position = decodeCursor(cursor);
  if (position === null) {
    throw badUserInput('after', cursor, "give a cursor from an earlier page (an edge's cursor or pageInfo.endCursor)");
  }
  return position + 1;
}

/**
 * A filter value other than UNKNOWN, which stands for whatever this gateway does not know yet:
 * LlamaCloud cannot be asked for that.
 */
export function knownFilterValue<T extends string>(argument: string, value: T | typeof UNKNOWN_WIRE_VALUE): T {
  if (value === UNKNOWN_WIRE_VALUE) {
    throw badUserInput(
      argument,
      'UNKNOWN',
      'UNKNOWN stands for values newer than this gateway and cannot be filtered on; give a known value, or leave the field out',
    );
  }
  return value;
}
