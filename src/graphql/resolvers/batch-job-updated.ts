/**
 * Subscription.batchJobUpdated: the shared poller's events, an error event raised as that
 * event's coded error (the stream itself goes on).
 */
import type { SubscriptionResolvers } from '../../generated/resolvers-types.js';
import type { JobEvent } from '../../sharing/live-jobs.js';
import type { BatchJobModel } from '../../upstream/wire.js';
import { checkJobId } from './arguments.js';

export const batchJobUpdated: NonNullable<SubscriptionResolvers['batchJobUpdated']> = {
  subscribe: (_parent, { id }, { live }) => {
    return live.watch(checkJobId(id));
  },
  resolve: (event: JobEvent): BatchJobModel => {
    if ('error' in event) throw event.error;
    return event.job;
  },
};
