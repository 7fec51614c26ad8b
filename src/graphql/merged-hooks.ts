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
 * Validation hooks are merged too, for a smaller reason: envelop runs them in a plain loop, but
 * builds each one a payload of its own (five closures and a params object) on every request, even
 * when Yoga's validation cache answers. The gateway's plugins bring six of them (armor's limits,
 * the cost, introspection); merged they are one.
 *
 * Each merged hook keeps Yoga's semantics: a part sees what the parts before it set (`setParams`,
 * `setRequestParser`, `setExecuteFn`, `setValidationFn`, `addValidationRule`, `setResult`,
 * `setResponse`, ...), a part that ends the stage (`endResponse`, `setResultAndStopExecution`)
 * stops the parts after it, and what parts return (`onRequestParseDone`, `onExecuteDone` and its
 * `onNext`/`onEnd`, the function a validation hook returns) is collected and run in order. Hooks
 * of other kinds (parsing, start-up) stay on their plugins as they were.
 */
type Hook = (payload: Record<string, unknown>) => unknown;
type Payload = Record<string, unknown>;
type Setter = (value: unknown) => void;

/** The hooks Yoga runs per request as one `iterateAsync` step each; these are merged. */
const MERGED = [
  'onRequest',
  'onRequestParse',
  'onParams',
  'onValidate',
  'onExecute',
  'onResultProcess',
  'onResponse',
] as const;
type MergedHook = (typeof MERGED)[number];

interface Stage {
  /** Each setter of the payload, and the field it changes for the parts after. */
  setterList: ReadonlyArray<readonly [string, string]>;
  /** Calls that end the stage, and whether a call with this value does. */
  enderList: ReadonlyArray<readonly [string, (value: unknown) => boolean]>;
  /** What else the payload needs so that later parts see what earlier ones changed. */
  prepareMore?: (payload: Payload) => void;
}

const stageOf = (
  setters: Readonly<Record<string, string>>,
  enders: Readonly<Record<string, (value: unknown) => boolean>>,
  prepareMore?: (payload: Payload) => void,
): Stage => ({
  setterList: Object.entries(setters),
  enderList: Object.entries(enders),
  ...(prepareMore ? { prepareMore } : {}),
});

/**
 * Envelop hands each validation hook `params.rules` as the rules so far, and `addValidationRule`
 * adds to them. When the request came with rules, `params.rules` is envelop's own array, which the
 * addition extends; when it came with none, envelop starts an array of its own at the first
 * addition, so the parts after see a copy kept here, with the same rules in the same order.
 */
function rulesStayCurrent(payload: Payload): void {
  const params = payload.params as { rules?: unknown[] };
  const own = payload.addValidationRule as Setter;
  const envelopsArray = params.rules !== undefined;
  payload.addValidationRule = (rule: unknown) => {
    own(rule);
    if (!envelopsArray) (params.rules ??= []).push(rule);
  };
}

const STAGES: Record<MergedHook, Stage> = {
  // whatwg-node stops the onRequest hooks only when a response is given.
  onRequest: stageOf(
    { setRequest: 'request', setRequestHandler: 'requestHandler' },
    { endResponse: (response) => Boolean(response) },
  ),
  onRequestParse: stageOf({ setRequestParser: 'requestParser' }, { endResponse: () => true }),
  onParams: stageOf({ setParams: 'params', setParamsHandler: 'paramsHandler' }, {}),
  // `setResult` here leaves the parts after unaware, as envelop does: they run, and see no result.
  onValidate: stageOf({ setValidationFn: 'validateFn' }, {}, rulesStayCurrent),
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
  stage.prepareMore?.(payload);
}

/** What a part returned that the stage's finish may need: an object of follow-up hooks, or a function. */
const keepReturned = (returned: unknown[] | undefined, value: unknown): unknown[] | undefined => {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return returned;
  if (!returned) return [value];
  returned.push(value);
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
  finish: (returned: readonly unknown[]) => unknown,
): unknown {
  const call = new StageCall();
  prepare(payload, stage, call);
  let returned: unknown[] | undefined;
  for (let index = 0; index < hooks.length; index += 1) {
    const outcome = (hooks[index] as Hook)(payload);
    if (isThenable(outcome)) return finishLater(hooks, index, outcome, payload, call, returned, finish);
    returned = keepReturned(returned, outcome);
    if (call.ended) break;
  }
  return finish(returned ?? NONE);
}

const NONE: readonly unknown[] = [];

async function finishLater(
  hooks: readonly Hook[],
  at: number,
  pending: PromiseLike<unknown>,
  payload: Payload,
  call: StageCall,
  returnedSoFar: unknown[] | undefined,
  finish: (returned: readonly unknown[]) => unknown,
): Promise<unknown> {
  let returned = keepReturned(returnedSoFar, await pending);
  for (let index = at + 1; index < hooks.length && !call.ended; index += 1) {
    returned = keepReturned(returned, await (hooks[index] as Hook)(payload));
  }
  return finish(returned ?? NONE);
}

const isHook = (value: unknown): value is Hook => typeof value === 'function';

const functionsOf = (parts: readonly unknown[], name: string): Hook[] =>
  parts.map((part) => (part as Payload)[name]).filter(isHook);

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
function mergedExecuteDone(parts: readonly unknown[]): Payload | undefined {
  const dones = functionsOf(parts, 'onExecuteDone');
  if (dones.length === 0) return undefined;
  const combine = (returned: readonly unknown[]) => {
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
function stageResult(hook: MergedHook): (returned: readonly unknown[]) => unknown {
  if (hook === 'onRequestParse') {
    return (returned) => {
      if (returned.length === 0) return undefined;
      const onRequestParseDone = mergedFollowUp(functionsOf(returned, 'onRequestParseDone'), PARSER_RESULT_STAGE);
      return onRequestParseDone ? { onRequestParseDone } : undefined;
    };
  }
  if (hook === 'onExecute') return (returned) => (returned.length === 0 ? undefined : mergedExecuteDone(returned));
  // Envelop calls what each validation hook returned once validation is done, with a `setResult`
  // whose result the next one sees.
  if (hook === 'onValidate') return (returned) => mergedFollowUp(returned.filter(isHook), RESULT_STAGE);
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
