/**
 * Mutation.createBatchJob: the input checked whole before any upstream call, one POST (never
 * retried), and with an idempotency key the first result again for the same caller's retry.
 */
import { createHash } from 'node:crypto';
import { badUserInput, GatewayError } from '../../errors.js';
import type { MutationResolvers } from '../../generated/resolvers-types.js';
import type { BatchJobModel } from '../../upstream/wire.js';
import { createBatchBody, createBody } from './create-inputs.js';

const IDEMPOTENCY_KEY = /^[\w.:-]{1,128}$/;
/** How often a retry checks on the first request with its key, while that one still runs. */
const PENDING_POLL_MS = 100;

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
  // Checked whole before any upstream call; each generation has its own body.
  const body = upstream.generation === 'v2' ? createBatchBody(input) : createBody(input);
  const create = () =>
    'source_directory_id' in body
      ? upstream.createBatch(body, callOptions)
      : upstream.createBatchJob(body, callOptions);
  if (idempotencyKey === null || idempotencyKey === undefined) return create();
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
    const job = await create();
    await idempotency.complete(key, digest, JSON.stringify(job));
    return job;
  } catch (error) {
    await idempotency.release(key);
    throw error;
  }
};
