/** The bodies the gateway POSTs to LlamaCloud, under their wire names. */

/** The body of a v1 create: the job's configuration, and a directory or items. */
export interface CreateBatchJobBody {
  job_config: Record<string, unknown> & { job_type: string };
  directory_id?: string;
  item_ids?: string[];
}
/** The body of a v2 create (`POST /api/v2/batches`). */
export interface CreateBatchBody {
  source_directory_id: string;
  config: { job: { type: string; configuration_id: string } };
  webhook_configuration_ids?: string[];
  webhook_configurations?: Array<{
    webhook_url: string;
    webhook_events?: string[];
    webhook_headers?: Record<string, string>;
    webhook_output_format?: 'string' | 'json';
    /** Write-only: LlamaCloud signs its deliveries with it. Never logged. */
    webhook_signing_secret?: string;
  }>;
}
