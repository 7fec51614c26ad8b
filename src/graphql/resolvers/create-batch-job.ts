/**
 * Mutation.createBatchJob: the input checked whole before any upstream call, one POST (never
 * retried), and with an idempotency key the first result again for the same caller's retry.
 */
import { createHash } from 'node:crypto';
import { badUserInput, GatewayError } from '../../errors.js';
import type { CreateBatchJobInput, MutationResolvers } from '../../generated/resolvers-types.js';
import type { CreateBatchJobBody } from '../../upstream/client.js';
import type { BatchJobModel } from '../../upstream/wire.js';
import { checkId } from './arguments.js';

const MAX_ITEMS = 1000;
const MAX_PARAMETERS_BYTES = 64 * 1024;
const IDEMPOTENCY_KEY = /^[\w.:-]{1,128}$/;
/** How often a retry checks on the first request with its key, while that one still runs. */
const PENDING_POLL_MS = 100;

/** The v1 body for `input`, or the BAD_USER_INPUT error that says what to change. */
export function createBody(input: CreateBatchJobInput): CreateBatchJobBody {
  if (input.jobType !== 'parse' && input.jobType !== 'classify') {
    throw badUserInput(
      'input.jobType',
      input.jobType.toUpperCase(),
      "give PARSE or CLASSIFY (LlamaCloud's batch API v1 creates no other kind)",
    );
  }
  const hasDirectory = input.directoryId !== null && input.directoryId !== undefined;
  const hasItems = input.itemIds !== null && input.itemIds !== undefined;
  if (hasDirectory === hasItems) {
    throw badUserInput(
      'input',
      hasDirectory ? 'directoryId and itemIds' : 'neither',
      'give either directoryId or itemIds',
    );
  }
  let parameters: Record<string, unknown> = {};
  if (input.parametersJson !== null && input.parametersJson !== undefined) {
    if (Buffer.byteLength(input.parametersJson) > MAX_PARAMETERS_BYTES) {
      throw badUserInput('input.parametersJson', `${input.parametersJson.slice(0, 20)}…`, 'keep it under 64 KB');
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(input.parametersJson);
    } catch {
      parsed = undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw badUserInput(
        'input.parametersJson',
        input.parametersJson.slice(0, 20),
        'give a JSON object, or leave it out',
      );
    }
    parameters = parsed as Record<string, unknown>;
  }
  const body: CreateBatchJobBody = { job_config: { ...parameters, job_type: input.jobType } };
  if (hasDirectory) {
    body.directory_id = checkId('input.directoryId', input.directoryId ?? '');
  } else {
    const ids = input.itemIds ?? [];
    if (ids.length === 0 || ids.length > MAX_ITEMS) {
      throw badUserInput('input.itemIds', `${ids.length} ids`, `give from 1 to ${MAX_ITEMS} item ids`);
    }
    body.item_ids = ids.map((id, i) => checkId(`input.itemIds.${i}`, id));
  }
  return body;
}

export const createBatchJob: NonNullable<MutationResolvers['createBatchJob']> = async (
  _parent,
  { input, idempotencyKey },
  { upstream, viewer, createGrant, callOptions, idempotency },
) => {
  if (createGrant !== null && !viewer.grants.has(createGrant)) {
    throw new GatewayError(
      'FORBIDDEN',
      `Creating a job needs the "${createGrant}" scope or role in your token; ask for a token that has it.`,
    );
  }
  const body = createBody(input);
  if (idempotencyKey === null || idempotencyKey === undefined) return upstream.createBatchJob(body, callOptions);
  if (!IDEMPOTENCY_KEY.test(idempotencyKey)) {
    throw badUserInput('idempotencyKey', idempotencyKey.slice(0, 40), 'give 1 to 128 letters, digits or _.:-');
  }
  // Keys are the caller's own: another caller's same key is another key.
  const key = JSON.stringify([viewer.subject, idempotencyKey]);
  const digest = createHash('sha256').update(JSON.stringify(body)).digest('hex');
  const deadline = callOptions.deadline ?? Date.now() + 30_000;
  for (;;) {
    const claim = await idempotency.claim(key, digest);
    if (claim.state === 'claimed') break;
    if (claim.digest !== digest) {
      throw badUserInput(
        'idempotencyKey',
        idempotencyKey,
        'it was used for a different input in the last 24 hours; use a new key for a new job',
      );
    }
    if (claim.state === 'done') return JSON.parse(claim.result) as BatchJobModel;
    if (Date.now() + PENDING_POLL_MS >= deadline) {
      throw new GatewayError(
        'UPSTREAM_TIMEOUT',
        'The first request with this idempotencyKey is still waiting for LlamaCloud. Retry with the same key shortly.',
      );
    }
    await new Promise((resolve) => setTimeout(resolve, PENDING_POLL_MS));
  }
  try {
    const job = await upstream.createBatchJob(body, callOptions);
    await idempotency.complete(key, digest, JSON.stringify(job));
    return job;
  } catch (error) {
    await idempotency.release(key);
    throw error;
  }
};
