/**
 * Mutation.cancelBatchJob: one POST to LlamaCloud (never retried). v2 answers with the batch as it
 * stands (it cancels asynchronously); v1 answers a receipt, so the job is read back fresh.
 */
import { badUserInput, GatewayError, jobNotFound } from '../../errors.js';
import type { MutationResolvers } from '../../generated/resolvers-types.js';
import { checkJobId } from './arguments.js';

export const cancelBatchJob: NonNullable<MutationResolvers['cancelBatchJob']> = async (
  _parent,
  { id, reason },
  { upstream, viewer, cancelGrant, callOptions },
) => {
  if (cancelGrant !== null && !viewer.grants.has(cancelGrant)) {
    throw new GatewayError(
      'FORBIDDEN',
      `Cancelling a job needs the "${cancelGrant}" scope or role in your token; ask for a token that has it.`,
    );
  }
  checkJobId(id);
  if (reason !== null && reason !== undefined && reason.length > 1000) {
    throw badUserInput('reason', `${reason.slice(0, 20)}…`, 'keep the reason under 1000 characters');
  }
  let answered;
  try {
    answered = await upstream.cancelBatchJob(id, reason ?? null, callOptions);
  } catch (error) {
    if (error instanceof GatewayError && error.details.upstreamStatus === 404) throw jobNotFound(id);
    throw error;
  }
  if (answered !== null) return answered;
  const after = await upstream.getBatchJob(id, { ...callOptions, fresh: true });
  if (after === null) {
    throw new GatewayError(
      'UPSTREAM_BAD_RESPONSE',
      `LlamaCloud accepted the cancel but then knew no job ${JSON.stringify(id)}.`,
    );
  }
  return after;
};
