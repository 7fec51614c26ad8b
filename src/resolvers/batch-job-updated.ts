/**
 * Subscription.batchJobUpdated: the shared poller's events, an error event raised as that
 * event's coded error (the stream itself goes on).
 */
import type { SubscriptionResolvers } from '../generated/resolvers-types.js';
import { badUserInput } from '../errors.js';
import type { JobEvent } from '../live-jobs.js';
import type { BatchJobModel } from '../upstream/wire.js';

export const batchJobUpdated: NonNullable<SubscriptionResolvers['batchJobUpdated']> = {
  subscribe: (_parent, { id }, { live }) => {
    if (id.trim() === '') throw badUserInput('id', id, 'give the id of a batch job, such as "bjb-…"');
    return live.watch(id);
  },
  resolve: (event: JobEvent): BatchJobModel => {
    if ('error' in event) throw event.error;
    return event.job;
  },
};
