/**
 * The fast path: a query document this gateway has already run in full, sent again as a plain JSON
 * POST, is answered from the verdicts that first run reached, without going through Yoga again.
 *
 * Why: a frontend sends a handful of documents over and over, only their variables change. Each
 * request through Yoga re-derives what the document already proved (parsed, valid, within the
 * operation limits, trusted, compiled) through a Fetch Request and Response, a dozen plugin hooks
 * and their promises. That layer cost about 110 µs of server CPU per page request, a quarter of
 * the gateway's (`npm run bench`, the fast path's row: 452 against 339 µs). Here a known document
 * costs its caller checks, its execution, its JSON and its log line.
 *
 * What it shares between requests is the first run's work, so it lives with the other sharing:
 * a document is remembered only when Yoga ran it compiled (graphql/compiled-execution.ts tells
 * it), which is after the request passed every document check (parse, validation, depth,
 * aliases, tokens, cost, trusted documents, introspection). What varies per request is still
 * checked per request, the same way and by the same code: the body's JSON and the variables'
 * depth, authentication and the rate limit (caller-checks.ts), the cost when variables decide it
 * (such documents are not remembered), the identical-query sharing (shared-execution.ts), the
 * request id, the security headers and the request log.
 *
 * Anything else goes to Yoga as it came, with the body already read (whatwg-node takes a read body
 * from `req.body`) and with what the fast path learnt in the request state (request-state.ts): a
 * document not remembered, another media type, CORS, a body that is not plain, a refused caller
 * (the caller checks then refuse with the wait already taken), variables that do not coerce, a
 * request whose client left (Yoga logs it as cut), and every result that holds errors (Yoga masks,
 * codes, counts and answers them as for any request).
 * So a client cannot tell which path answered, and a test holds the two to the same responses.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  getOperationAST,
  GraphQLError,
  type DocumentNode,
  type ExecutionArgs,
  type OperationDefinitionNode,
} from 'graphql';
import type { CompiledQuery } from 'graphql-jit';
import type { Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import type { CancelSignal } from '../cancellation.js';
import { CancelledError } from '../errors.js';
import type { GatewayContext } from '../graphql/context.js';
import { withGraphQLErrors } from '../graphql/compiled-execution.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import type { RequestTracker } from '../observability/request-log.js';
import {
  adoptHandedOver,
  handOver,
  newRequestState,
  requestState,
  responseGone,
  type RequestState,
  type Viewer,
} from '../request-state.js';
import type { CallerChecks } from '../security/caller-checks.js';
import { NOT_A_PAGE_POLICY, SECURITY_HEADERS } from '../security/headers.js';
import { depthOver, MAX_JSON_DEPTH } from '../security/request-shape.js';
import type { SharedAnswer } from './shared-answer.js';
import { executionKey, executionLead, keeping, sharedAnswer } from './shared-execution.js';
import type { SharedWork } from './shared-work.js';

/** Documents remembered at most: a frontend sends a handful; the bound holds the compiled functions. */
const MAX_DOCUMENTS = 500;

/** What a remembered document needs to run again. */
interface Known {
  document: DocumentNode;
  compiled: CompiledQuery;
  operation: OperationDefinitionNode;
}

/** Accept headers whose answer Yoga gives as application/json, as sent by browsers and clients. */
const JSON_ACCEPTS = new Set(['', '*/*', 'application/json', 'application/json, */*', 'application/*']);
/** Those it answers as application/graphql-response+json (graphql-request, Apollo Client, urql). */
const GRAPHQL_RESPONSE_ACCEPTS = new Set([
  'application/graphql-response+json',
  'application/graphql-response+json, application/json',
  'application/graphql-response+json,application/json',
  'application/graphql-response+json, application/json;q=0.9',
  'application/graphql-response+json,application/json;q=0.9',
]);
const JSON_BODIES = new Set(['application/json', 'application/json; charset=utf-8', 'application/json;charset=utf-8']);

/** The headers of every answer, as Yoga and the security headers plugin give them. */
function answerHeaders(contentType: string): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': contentType };
  for (const [name, value] of SECURITY_HEADERS) headers[name] = value;
  headers['content-security-policy'] = NOT_A_PAGE_POLICY;
  return headers;
}
const JSON_HEADERS = answerHeaders('application/json; charset=utf-8');
const GRAPHQL_RESPONSE_HEADERS = answerHeaders('application/graphql-response+json; charset=utf-8');

export interface FastPathOptions {
  /** The GraphQL endpoint's path (`/graphql`). */
  endpoint: string;
  work: SharedWork;
  /** The app's error masking, as for shared executions. */
  maskError: (error: GraphQLError) => Error;
  cacheTtlMs: number;
  callerChecks: CallerChecks;
  tracker: RequestTracker;
  metrics: GatewayMetrics;
  /** Whether identical queries share one execution (SHARE_IDENTICAL_QUERIES). */
  shareIdentical: boolean;
  /** True with CORS_ORIGINS: a request with an Origin then goes to Yoga, which answers CORS. */
  cors: boolean;
  /** Whether a document's cost depends on its variables (then it is counted per request, by Yoga). */
  costVaries: (document: DocumentNode, operationName: string | null | undefined) => boolean;
  /** The resolvers' context for a request, as Yoga's context factory builds it. */
  contextFor: (state: RequestState, signal: CancelSignal, onAnswerExpiry?: (until: number) => void) => GatewayContext;
}

type Listener = (req: IncomingMessage, res: ServerResponse) => void;
/** Hands the request on to Yoga, counted by why. */
type Onward = (outcome?: 'unknown' | 'handed_on') => void;
type ReadBody = IncomingMessage & { body?: Buffer };

interface Params {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

export class FastPath {
  readonly #options: FastPathOptions;
  readonly #known = new LRUCache<string, Known>({ max: MAX_DOCUMENTS });
  readonly #keep: (answer: SharedAnswer) => ReturnType<ReturnType<typeof keeping>>;
  readonly #counted: Record<'answered' | 'unknown' | 'handed_on', { inc(): void }>;

  constructor(options: FastPathOptions) {
    this.#options = options;
    this.#keep = keeping(options.cacheTtlMs);
    const { fastPath } = options.metrics;
    this.#counted = {
      answered: fastPath.labels('answered'),
      unknown: fastPath.labels('unknown'),
      handed_on: fastPath.labels('handed_on'),
    };
  }

  /**
   * Remembers a query Yoga has just run compiled. Documents that select `_entities` or `_service`
   * (checked per request on their variables or their caller) and those whose cost their variables
   * decide are not remembered: they keep Yoga's per-request checks.
   */
  remember(args: ExecutionArgs, compiled: CompiledQuery): void {
    const params = (args.contextValue as { params?: { query?: unknown; extensions?: unknown } } | undefined)?.params;
    const query = params?.query;
    if (typeof query !== 'string' || params?.extensions != null) return;
    const operationName = args.operationName ?? null;
    const key = documentKey(operationName, query);
    if (this.#known.has(key) || query.includes('_entities') || query.includes('_service')) return;
    const operation = getOperationAST(args.document, operationName);
    if (!operation || this.#options.costVaries(args.document, operationName)) return;
    this.#known.set(key, { document: args.document, compiled, operation });
  }

  /**
   * First of Yoga's plugins: a request handed on keeps the state the fast path began, and one it
   * executed is answered with that result (with or without execution sharing).
   */
  plugin(): Plugin {
    return {
      onRequest: ({ request, serverContext }) => adoptHandedOver(request, serverContext),
      onParams: ({ request, setResult }) => {
        const { executed } = requestState(request);
        if (executed) setResult(executed);
      },
    };
  }

  /** Yoga's listener, with known documents answered before it. */
  listener(yoga: Listener): Listener {
    return (req, res) => {
      if (!this.#takes(req)) {
        yoga(req, res);
        return;
      }
      const state = newRequestState(headerOf(req, 'x-request-id'));
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.once('end', () => {
        const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
        const onward = (outcome: 'unknown' | 'handed_on' = 'handed_on') => {
          this.#counted[outcome].inc();
          handOver(req, state);
          (req as ReadBody).body = body;
          yoga(req, res);
        };
        this.#serve(req, res, body, state, onward);
      });
    };
  }

  /** Whether the request's head is one the fast path may answer (the body decides the rest). */
  #takes(req: IncomingMessage): boolean {
    const { headers } = req;
    return (
      this.#known.size > 0 &&
      req.method === 'POST' &&
      req.url === this.#options.endpoint &&
      headers['content-length'] !== undefined &&
      headers['content-encoding'] === undefined &&
      JSON_BODIES.has((headers['content-type'] ?? '').toLowerCase()) &&
      contentTypeFor(headers.accept) !== undefined &&
      !(this.#options.cors && headers.origin !== undefined)
    );
  }

  #serve(req: IncomingMessage, res: ServerResponse, body: Buffer, state: RequestState, onward: Onward): void {
    const params = paramsOf(body);
    const known = params && this.#known.get(documentKey(params.operationName ?? null, params.query));
    if (!params || !known) {
      onward('unknown');
      return;
    }
    if (depthOver(params.variables, MAX_JSON_DEPTH)) {
      onward();
      return;
    }
    state.path = this.#options.endpoint;
    let viewer: Viewer | Promise<Viewer>;
    try {
      viewer = this.#options.callerChecks.authenticate(headerOf(req, 'authorization'));
    } catch {
      // Refused: Yoga authenticates again and answers the refusal.
      onward();
      return;
    }
    const limited = (caller: Viewer) => {
      state.viewer = caller;
      const waitSeconds = this.#options.callerChecks.take(caller, (name) => headerOf(req, name), req);
      const decided = (wait: number) => {
        state.rateLimitWait = wait;
        if (wait > 0) {
          onward();
          return;
        }
        this.#execute(req, res, params, known, state, onward);
      };
      if (typeof waitSeconds === 'number') decided(waitSeconds);
      else waitSeconds.then(decided, () => onward());
    };
    if (viewer instanceof Promise) viewer.then(limited, () => onward());
    else limited(viewer);
  }

  #execute(
    req: IncomingMessage,
    res: ServerResponse,
    params: Params,
    known: Known,
    state: RequestState,
    onward: Onward,
  ): void {
    const { operation } = known;
    state.operationName = operation.name?.value;
    state.operationType = operation.operation;
    const gone = (state.clientGone = responseGone(res));
    const answered = (answer: SharedAnswer) => {
      // Errors are answered by Yoga, which masks, codes and counts them as for any request.
      if (answer.result.errors) {
        state.executed = answer.result;
        onward();
        return;
      }
      this.#counted.answered.inc();
      this.#send(req, res, state, answer.json());
    };
    const key = this.#options.shareIdentical ? executionKey(params, state.viewer?.subject ?? null) : undefined;
    const joined = key === undefined ? undefined : this.#options.work.join<SharedAnswer>(key, gone);
    if (joined) {
      joined.then(
        (answer) => {
          state.sharedExecution = true;
          answered(answer);
        },
        (error: unknown) => this.#failed(res, state, onward, error),
      );
      return;
    }
    const lead = key === undefined ? undefined : this.#options.work.lead<SharedAnswer>(key, gone);
    const { share, onAnswerExpiry } = lead
      ? executionLead(lead, this.#options.cacheTtlMs)
      : { share: undefined, onAnswerExpiry: undefined };
    const context = this.#options.contextFor(state, lead?.signal ?? gone, onAnswerExpiry);
    const ran = known.compiled.query(undefined, context, params.variables ?? {});
    // Variables that do not coerce leave no data: Yoga runs it to answer graphql-js's own words.
    if (!(ran instanceof Promise) && !('data' in ran)) {
      lead?.abandon();
      onward();
      return;
    }
    const answer = Promise.resolve(ran).then((executed) =>
      sharedAnswer(
        withGraphQLErrors(executed, known.document),
        this.#options.maskError,
        operation,
        share?.freshUntil ?? 0,
      ),
    );
    (lead ? lead.settle(answer, this.#keep) : answer).then(answered, (error: unknown) =>
      this.#failed(res, state, onward, error, answer),
    );
  }

  /** The answer, its JSON written as text: Node sends it with the head in one write. */
  #send(req: IncomingMessage, res: ServerResponse, state: RequestState, body: string): void {
    const headers = contentTypeFor(req.headers.accept) === 'json' ? JSON_HEADERS : GRAPHQL_RESPONSE_HEADERS;
    this.#record(req, res, state);
    if (res.destroyed) return;
    res.writeHead(200, { ...headers, 'content-length': Buffer.byteLength(body), 'x-request-id': state.requestId });
    res.end(body);
  }

  /**
   * No answer came for this request. Its client is still there: the lead it joined never
   * executed (or failed), and Yoga runs it as if it had come alone. Its client left: Yoga answers
   * the closed connection as its own path does, and logs it as cut, with what the execution came
   * to when this request led it (its upstream calls, their errors), with the cancellation else.
   */
  #failed(res: ServerResponse, state: RequestState, onward: Onward, error: unknown, led?: Promise<SharedAnswer>): void {
    if (!res.destroyed) {
      onward();
      return;
    }
    const gone = () => {
      state.executed ??= {
        errors: [this.#options.maskError(error instanceof GraphQLError ? error : new CancelledError()) as GraphQLError],
      };
      onward();
    };
    if (!led) {
      gone();
      return;
    }
    led.then((answer) => {
      state.executed = answer.result;
      gone();
    }, gone);
  }

  /** The request's log line and metrics, as Yoga's path gives them for a 200 it is about to send. */
  #record(req: IncomingMessage, res: ServerResponse, state: RequestState): void {
    this.#options.tracker.record({
      req,
      state,
      method: 'POST',
      status: 200,
      header: (name) => headerOf(req, name),
      cut: res.destroyed,
    });
  }
}

function documentKey(operationName: string | null, query: string): string {
  return `${operationName ?? ''}\n${query}`;
}

function headerOf(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Which media type Yoga would answer this Accept header with, when the fast path knows it. */
function contentTypeFor(accept: string | undefined): 'json' | 'graphql-response' | undefined {
  const given = (accept ?? '').trim().toLowerCase();
  if (JSON_ACCEPTS.has(given)) return 'json';
  if (GRAPHQL_RESPONSE_ACCEPTS.has(given)) return 'graphql-response';
  return undefined;
}

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The body's GraphQL parameters when they are plain (query, operationName, variables), else null. */
function paramsOf(body: Buffer): Params | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
  if (!isRecord(parsed)) return null;
  const { query, operationName, variables } = parsed;
  for (const key in parsed) if (key !== 'query' && key !== 'operationName' && key !== 'variables') return null;
  if (typeof query !== 'string') return null;
  // A GraphQL name or nothing: the key of a known document puts the name before the text.
  if (
    operationName !== undefined &&
    operationName !== null &&
    !(typeof operationName === 'string' && NAME.test(operationName))
  ) {
    return null;
  }
  if (variables !== undefined && variables !== null && !isRecord(variables)) return null;
  return parsed as unknown as Params;
}
