/** The query GraphiQL opens with: a newcomer presses run and sees jobs. */
export const EXAMPLE_QUERY = `# Welcome! Press the run button (or Ctrl+Enter) to list the newest batch jobs.
query RecentBatchJobs {
  batchJobs(limit: 5) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id
      jobType
      status
      totalItems
      processedItems
      failedItems
      createdAt
    }
  }
}
`;
