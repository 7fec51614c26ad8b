/**
 * The bodies of createBatchJob for each generation of LlamaCloud's batch API, checked whole before
 * any upstream call. A field of the other generation is refused by name, never dropped.
 */
import { badUserInput } from '../../errors.js';
import {
  WebhookOutputFormat,
  type BatchWebhookInput,
  type CreateBatchJobInput,
} from '../../generated/resolvers-types.js';
import type { CreateBatchBody, CreateBatchJobBody } from '../../upstream/client.js';
import { V2_JOB_TYPES } from '../../upstream/wire-v2.js';
import type { BatchJobTypeWire } from '../../upstream/wire.js';
import { checkId } from './arguments.js';

const MAX_ITEMS = 1000;
const MAX_PARAMETERS_BYTES = 64 * 1024;
const MAX_WEBHOOKS = 10;
const MAX_EVENTS = 50;
const MAX_HEADERS = 20;
const MAX_URL_CHARS = 2048;
const HEADER_NAME = /^[A-Za-z0-9-]{1,128}$/;
// LlamaCloud's event names (`batch.success`, `unmapped_event`): the list is open, the form is not.
const EVENT_NAME = /^[a-z][a-z0-9_]{0,63}(?:\.[a-z][a-z0-9_]{0,63})?$/;
const CONFIGURATION_ID = /^[\w.:-]{1,256}$/;

function onlyUnder(generation: 'v1' | 'v2', name: string) {
  return badUserInput(
    `input.${name}`,
    'given',
    `it belongs to LlamaCloud's batch API ${generation}, and this gateway calls ${generation === 'v1' ? 'v2' : 'v1'}; leave it out`,
  );
}

/** The v1 body for `input`, or the BAD_USER_INPUT error that says what to change. */
export function createBody(input: CreateBatchJobInput): CreateBatchJobBody {
  for (const name of ['configurationId', 'webhookConfigurationIds', 'webhooks'] as const) {
    if (input[name] !== null && input[name] !== undefined) throw onlyUnder('v2', name);
  }
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

/** The v2 body (`POST /api/v2/batches`) for `input`, or the BAD_USER_INPUT error that says what to change. */
export function createBatchBody(input: CreateBatchJobInput): CreateBatchBody {
  for (const name of ['itemIds', 'parametersJson'] as const) {
    if (input[name] !== null && input[name] !== undefined) throw onlyUnder('v1', name);
  }
  const type = V2_JOB_TYPES[input.jobType as BatchJobTypeWire];
  if (type === undefined) {
    throw badUserInput(
      'input.jobType',
      input.jobType.toUpperCase(),
      "give PARSE or EXTRACT (LlamaCloud's batch API v2 creates no other kind)",
    );
  }
  if (input.directoryId === null || input.directoryId === undefined) {
    throw badUserInput('input.directoryId', null, "give the source directory's id (v2 needs one)");
  }
  const configurationId = input.configurationId ?? '';
  if (!CONFIGURATION_ID.test(configurationId)) {
    throw badUserInput(
      'input.configurationId',
      input.configurationId ?? null,
      'give a saved configuration id or a preset such as "cfg-PARSE_AGENTIC" (v2 needs one)',
    );
  }
  const body: CreateBatchBody = {
    source_directory_id: checkId('input.directoryId', input.directoryId),
    config: { job: { type, configuration_id: configurationId } },
  };
  const ids = input.webhookConfigurationIds;
  if (ids !== null && ids !== undefined) {
    if (ids.length > MAX_WEBHOOKS) {
      throw badUserInput('input.webhookConfigurationIds', `${ids.length} ids`, `give at most ${MAX_WEBHOOKS}`);
    }
    body.webhook_configuration_ids = ids.map((id, i) => checkId(`input.webhookConfigurationIds.${i}`, id));
  }
  const hooks = input.webhooks;
  if (hooks !== null && hooks !== undefined) {
    if (hooks.length > MAX_WEBHOOKS) {
      throw badUserInput('input.webhooks', `${hooks.length} webhooks`, `give at most ${MAX_WEBHOOKS}`);
    }
    body.webhook_configurations = hooks.map((hook, i) => webhookBody(hook, `input.webhooks.${i}`));
  }
  return body;
}

type WebhookBody = NonNullable<CreateBatchBody['webhook_configurations']>[number];

function webhookBody(hook: BatchWebhookInput, at: string): WebhookBody {
  let url: URL | null = null;
  try {
    url = hook.url.length <= MAX_URL_CHARS ? new URL(hook.url) : null;
  } catch {
    url = null;
  }
  const loopback = url !== null && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url === null || !(url.protocol === 'https:' || (url.protocol === 'http:' && loopback))) {
    throw badUserInput(`${at}.url`, hook.url.slice(0, 80), 'give an https:// URL of at most 2048 characters');
  }
  const out: WebhookBody = { webhook_url: hook.url };
  if (hook.events !== null && hook.events !== undefined) {
    if (hook.events.length === 0 || hook.events.length > MAX_EVENTS) {
      throw badUserInput(
        `${at}.events`,
        `${hook.events.length} events`,
        `give 1 to ${MAX_EVENTS} events (such as "batch.success"), or leave it out for all`,
      );
    }
    hook.events.forEach((event, j) => {
      if (!EVENT_NAME.test(event)) {
        throw badUserInput(`${at}.events.${j}`, event.slice(0, 80), 'give an event name such as "batch.success"');
      }
    });
    out.webhook_events = [...hook.events];
  }
  if (hook.headers !== null && hook.headers !== undefined) {
    if (hook.headers.length > MAX_HEADERS) {
      throw badUserInput(`${at}.headers`, `${hook.headers.length} headers`, `give at most ${MAX_HEADERS}`);
    }
    const headers: Record<string, string> = {};
    hook.headers.forEach(({ name, value }, j) => {
      if (!HEADER_NAME.test(name)) {
        throw badUserInput(`${at}.headers.${j}.name`, name.slice(0, 80), 'give letters, digits and "-" only');
      }
      // The value is not quoted back: it may be a credential for the receiver.
      if (value.length > 1024 || /[\r\n\0]/.test(value)) {
        throw badUserInput(`${at}.headers.${j}.value`, '…', 'give at most 1024 characters without line breaks');
      }
      headers[name] = value;
    });
    out.webhook_headers = headers;
  }
  if (hook.outputFormat) out.webhook_output_format = hook.outputFormat === WebhookOutputFormat.Json ? 'json' : 'string';
  if (hook.signingSecret !== null && hook.signingSecret !== undefined) {
    const length = hook.signingSecret.length;
    // Never quoted back, whatever its length.
    if (length < 16 || length > 256) {
      throw badUserInput(`${at}.signingSecret`, `${length} characters`, 'give 16 to 256 characters');
    }
    out.webhook_signing_secret = hook.signingSecret;
  }
  return out;
}
