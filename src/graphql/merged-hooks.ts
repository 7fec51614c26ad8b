/**
 * The gateway's plugins as Yoga runs them: their per-request hooks merged into one plugin, one
 * hook per stage, each calling its parts in the order the plugins were listed.
 *
 * Why: Yoga (through whatwg-node's `iterateAsync`) runs every hook of every plugin as one step of
 * a promise-shaped loop, and each step makes three or four `fakePromise` objects and their
 * closures (about 1 KB) even when the hook is synchronous. The gateway's plugins brought about 20
 * such steps to every request, most of a request's garbage from Yoga. Merged, a stage is one step,
 * and its parts run in a plain loop; a part that returns a promise is waited for before the next.
 *
 * Each merged hook keeps Yoga's semantics: a part sees what the parts before it set (`setParams`,
 * `setRequestParser`, `setExecuteFn`, `setResult`, `setResponse`, ...), a part that ends the stage
 * (`endResponse`, `setResultAndStopExecution`) stops the parts after it, and what parts return
 * (`onRequestParseDone`, `onExecuteDone` and its `onNext`/`onEnd`) is collected and run in order.
 * Hooks of other kinds (validation, parsing, start-up) stay on their plugins as they were.
 */
type Hook = (payload: Record<string, unknown>) => unknown;
type Payload = Record<string, unknown>;
type Setter = (value: unknown) => void;

/** The hooks Yoga runs per request as one `iterateAsync` step each; these are merged. */
const MERGED = ['onRequest', 'onRequestParse', 'onParams', 'onExecute', 'onResultProcess', 'onResponse'] as const;
type MergedHook = (typeof MERGED)[number];

interface Stage {
  /** Each setter of the payload, and the field it changes for the parts after. */
  setterList: ReadonlyArray<readonly [string, string]>;
  /** Calls that end the stage, and whether a call with this value does. */
  enderList: ReadonlyArray<readonly [string, (value: unknown) => boolean]>;
}

const stageOf = (
  setters: Readonly<Record<string, string>>,
  enders: Readonly<Record<string, (value: unknown) => boolean>>,
): Stage => ({ setterList: Object.entries(setters), enderList: Object.entries(enders) });

const STAGES: Record<MergedHook, Stage> = {
  // whatwg-node stops the onRequest hooks only when a response is given.
  onRequest: stageOf(
    { setRequest: 'request', setRequestHandler: 'requestHandler' },
    { endResponse: (response) => Boolean(response) },
  ),
  onRequestParse: stageOf({ setRequestParser: 'requestParser' }, { endResponse: () => true }),
  onParams: stageOf({ setParams: 'params', setParamsHandler: 'paramsHandler' }, {}),
  onExecute: stageOf({ setExecuteFn: 'executeFn' }, { setResultAndStopExecution: () => true }),
  onResultProcess: stageOf({ setResult: 'result', setResultProcessor: 'resultProcessor' }, {}),
  onResponse: stageOf({ setResponse: 'response' }, {}),
};

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as { then?: unknown } | null | undefined)?.then === 'function';

/** One call of a merged stage: whether a part has ended it. */
class StageCall {
  ended = false;
}

/**
 * Prepares Yoga's payload for the parts of one stage, in place (Yoga made it for this one call):
 * each setter also changes the field the later parts read, and a call that ends the stage is
 * noted so the parts after it are skipped.
 */
function prepare(payload: Payload, stage: Stage, call: StageCall): void {
  for (const [setter, field] of stage.setterList) {
    const own = payload[setter] as Setter;
    payload[setter] = (value: unknown) => {
      payload[field] = value;
      own(value);
    };
  }
  for (const [ender, ends] of stage.enderList) {
    const own = payload[ender] as Setter;
    payload[ender] = (value: unknown) => {
      if (ends(value)) call.ended = true;
      own(value);
    };
  }
}

const keepObject = (returned: Payload[] | undefined, value: unknown): Payload[] | undefined => {
  if (typeof value !== 'object' || value === null) return returned;
  if (!returned) return [value as Payload];
  returned.push(value as Payload);
  return returned;
};

/**
 * Runs `hooks` in order on one payload until one ends the stage, then `finish` with what they
 * returned that is an object. Synchronous unless a part returns a promise; from that part on the
 * rest wait for it.
 */
function runParts(
  hooks: readonly Hook[],
  payload: Payload,
  stage: Stage,
  finish: (returned: readonly Payload[]) => unknown,
): unknown {
  const call = new StageCall();
  prepare(payload, stage, call);
  let returned: Payload[] | undefined;
  for (let index = 0; index < hooks.length; index += 1) {
    const outcome = (hooks[index] as Hook)(payload);
    if (isThenable(outcome)) return finishLater(hooks, index, outcome, payload, call, returned, finish);
    returned = keepObject(returned, outcome);
    if (call.ended) break;
  }
  return finish(returned ?? NONE);
}

const NONE: readonly Payload[] = [];

async function finishLater(
  hooks: readonly Hook[],
  at: number,
  pending: PromiseLike<unknown>,
  payload: Payload,
  call: StageCall,
  returnedSoFar: Payload[] | undefined,
  finish: (returned: readonly Payload[]) => unknown,
): Promise<unknown> {
  let returned = keepObject(returnedSoFar, await pending);
  for (let index = at + 1; index < hooks.length && !call.ended; index += 1) {
    returned = keepObject(returned, await (hooks[index] as Hook)(payload));
  }
  return finish(returned ?? NONE);
}

const functionsOf = (parts: readonly Payload[], name: string): Hook[] =>
  parts.map((part) => part[name]).filter((fn): fn is Hook => typeof fn === 'function');

const nothing = (): undefined => undefined;

/** The follow-up hooks' payloads: what their one setter changes. */
const RESULT_STAGE = stageOf({ setResult: 'result' }, {});
const PARSER_RESULT_STAGE = stageOf({ setRequestParserResult: 'requestParserResult' }, {});

/** Several parts' follow-up hook (`onRequestParseDone`, `onNext`) as one, each seeing what the others set. */
function mergedFollowUp(hooks: readonly Hook[], stage: Stage): Hook | undefined {
  if (hooks.length <= 1) return hooks[0];
  return (payload) => runParts(hooks, payload, stage, nothing);
}

/** Several parts' `onExecuteDone` as one, with their `onNext` and `onEnd` for streamed results. */
function mergedExecuteDone(parts: readonly Payload[]): Payload | undefined {
  const dones = functionsOf(parts, 'onExecuteDone');
  if (dones.length === 0) return undefined;
  const combine = (returned: readonly Payload[]) => {
    const onNext = mergedFollowUp(functionsOf(returned, 'onNext'), RESULT_STAGE);
    const ends = functionsOf(returned, 'onEnd');
    if (!onNext && ends.length === 0) return undefined;
    return {
      ...(onNext ? { onNext } : {}),
      ...(ends.length > 0 ? { onEnd: () => ends.forEach((end) => end({})) } : {}),
    };
  };
  return { onExecuteDone: (payload: Payload) => runParts(dones, payload, RESULT_STAGE, combine) };
}

/** What a merged stage returns to Yoga, from what its parts returned. */
function stageResult(hook: MergedHook): (returned: readonly Payload[]) => unknown {
  if (hook === 'onRequestParse') {
    return (returned) => {
      if (returned.length === 0) return undefined;
      const onRequestParseDone = mergedFollowUp(functionsOf(returned, 'onRequestParseDone'), PARSER_RESULT_STAGE);
      return onRequestParseDone ? { onRequestParseDone } : undefined;
    };
  }
  if (hook === 'onExecute') return (returned) => (returned.length === 0 ? undefined : mergedExecuteDone(returned));
  return nothing;
}

/**
 * `plugins` with their per-request hooks moved into one plugin placed first, each hook calling
 * the plugins' own in the plugins' order. Yoga runs each kind of hook in plugin order, so order
 * within a kind is all that matters. Each plugin stays in the list, seen through an object that
 * hides its merged hooks and passes everything else (its other hooks, `this`) through.
 */
export function mergeRequestHooks<P extends object>(plugins: readonly P[]): P[] {
  const merged: Record<string, Hook> = {};
  for (const hook of MERGED) {
    const hooks = plugins.flatMap((plugin) => {
      const own = (plugin as Record<string, unknown>)[hook];
      return typeof own === 'function' ? [(own as Hook).bind(plugin)] : [];
    });
    if (hooks.length === 0) continue;
    const stage = STAGES[hook];
    const finish = stageResult(hook);
    merged[hook] = (payload) => runParts(hooks, payload, stage, finish);
  }
  const rest = plugins.map((plugin) => {
    const hidden = MERGED.filter((hook) => typeof (plugin as Record<string, unknown>)[hook] === 'function');
    return Object.create(plugin, Object.fromEntries(hidden.map((hook) => [hook, { value: undefined }]))) as P;
  });
  return [merged as P, ...rest];
}
