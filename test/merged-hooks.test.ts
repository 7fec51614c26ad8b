/**
 * The merged hooks (src/graphql/merged-hooks.ts) against Yoga itself: every case runs the same
 * plugins through a Yoga that runs them as they are and through one that runs them merged, and
 * asserts the same trace of hook calls and the same HTTP answer from both, besides the trace each
 * rule expects. When Yoga changes how a stage runs its hooks, this file says which rule moved.
 */
import { GraphQLError, NoSchemaIntrospectionCustomRule, type ValidationRule } from 'graphql';
import { createSchema, createYoga, type Plugin } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { mergeRequestHooks } from '../src/graphql/merged-hooks.js';

const schema = createSchema({
  typeDefs: /* GraphQL */ `
    type Query {
      hello(name: String): String
    }
  `,
  resolvers: { Query: { hello: (_: unknown, args: { name?: string | null }) => `hello ${args.name ?? 'you'}` } },
});

type Trace = string[];
type ProbePlugin = (trace: Trace) => Plugin;

interface Answer {
  status: number;
  body: string;
  marker: string | null;
  trace: Trace;
}

async function answerOf(plugins: readonly ProbePlugin[], merged: boolean, body: unknown): Promise<Answer> {
  const trace: Trace = [];
  const made = plugins.map((plugin) => plugin(trace));
  const yoga = createYoga({
    schema,
    logging: false,
    plugins: merged ? mergeRequestHooks(made) : made,
  });
  const response = await yoga.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.text(), marker: response.headers.get('x-marker'), trace };
}

/** The answer and trace of `plugins`, asserted equal with and without merging. */
async function bothWays(plugins: readonly ProbePlugin[], body: unknown = { query: '{ hello }' }): Promise<Answer> {
  const plain = await answerOf(plugins, false, body);
  const merged = await answerOf(plugins, true, body);
  expect(merged).toEqual(plain);
  return merged;
}

const STAGES = ['onRequest', 'onRequestParse', 'onParams', 'onExecute', 'onResultProcess', 'onResponse'] as const;

/** A plugin that logs each per-request hook it runs as `name:hook`, then runs `extra`'s, which it also has. */
const logging =
  (name: string, extra: (trace: Trace) => Plugin = () => ({})): ProbePlugin =>
  (trace) => {
    const more = extra(trace) as Record<string, unknown>;
    const plugin: Record<string, unknown> = { ...more };
    for (const stage of STAGES) {
      const own = more[stage] as ((payload: unknown) => unknown) | undefined;
      plugin[stage] = (payload: unknown) => {
        trace.push(`${name}:${stage}`);
        return own?.(payload);
      };
    }
    return plugin;
  };

describe('merged request hooks', () => {
  it('run every stage in the plugins order, stage by stage', async () => {
    const answer = await bothWays([logging('a'), logging('b'), logging('c')]);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ data: { hello: 'hello you' } });
    expect(answer.trace).toEqual(STAGES.flatMap((stage) => ['a', 'b', 'c'].map((name) => `${name}:${stage}`)));
  });

  it('let a part see the params an earlier part set, and execute with them', async () => {
    const answer = await bothWays([
      logging('a', () => ({
        onParams: ({ params, setParams }) =>
          setParams({
            ...params,
            variables: { name: 'from a' },
            query: 'query ($name: String) { hello(name: $name) }',
          }),
      })),
      logging('b', (trace) => ({
        onParams: ({ params }) => {
          trace.push(`b saw ${JSON.stringify(params.variables)}`);
        },
      })),
    ]);
    expect(answer.trace).toContain('b saw {"name":"from a"}');
    expect(JSON.parse(answer.body)).toEqual({ data: { hello: 'hello from a' } });
  });

  it('stop the onRequest parts after one that ends the response, and answer with it', async () => {
    const answer = await bothWays([
      logging('a'),
      logging('b', () => ({
        onRequest: (payload) =>
          payload.endResponse(new payload.fetchAPI.Response('refused', { status: 403, headers: { 'x-marker': 'b' } })),
      })),
      logging('c'),
    ]);
    expect(answer).toMatchObject({ status: 403, body: 'refused', marker: 'b' });
    expect(answer.trace.filter((entry) => entry.endsWith(':onRequest'))).toEqual(['a:onRequest', 'b:onRequest']);
    expect(answer.trace.some((entry) => entry.endsWith(':onParams'))).toBe(false);
  });

  it('stop the onRequestParse parts after one that ends the response', async () => {
    const answer = await bothWays([
      logging('a', () => ({
        onRequestParse: ({ endResponse }) => endResponse(new Response('parse refused', { status: 415 })),
      })),
      logging('b'),
    ]);
    expect(answer).toMatchObject({ status: 415, body: 'parse refused' });
    expect(answer.trace.filter((entry) => entry.endsWith(':onRequestParse'))).toEqual(['a:onRequestParse']);
  });

  it('skip the onExecute parts after one that sets the result and stops execution', async () => {
    const answer = await bothWays([
      logging('a', () => ({
        onExecute: ({ setResultAndStopExecution }) => setResultAndStopExecution({ data: { hello: 'short-cut' } }),
      })),
      logging('b'),
    ]);
    expect(JSON.parse(answer.body)).toEqual({ data: { hello: 'short-cut' } });
    expect(answer.trace.filter((entry) => entry.endsWith(':onExecute'))).toEqual(['a:onExecute']);
  });

  it('let each part use the execute function an earlier part set', async () => {
    const answer = await bothWays([
      logging('a', (trace) => ({
        onExecute: ({ executeFn, setExecuteFn }) =>
          setExecuteFn((args) => {
            trace.push('a executes');
            return executeFn(args) as unknown;
          }),
      })),
      logging('b', (trace) => ({
        onExecute: ({ executeFn, setExecuteFn }) =>
          setExecuteFn((args) => {
            trace.push('b executes');
            return executeFn(args) as unknown;
          }),
      })),
    ]);
    expect(answer.trace.filter((entry) => entry.endsWith('executes'))).toEqual(['b executes', 'a executes']);
    expect(JSON.parse(answer.body)).toEqual({ data: { hello: 'hello you' } });
  });

  it('run every part’s onExecuteDone in order, each seeing the result the one before set', async () => {
    const done = (name: string, mark: string) =>
      logging(name, (trace) => ({
        onExecute: () => ({
          onExecuteDone: ({ result, setResult }) => {
            const data = (result as { data: { hello: string } }).data;
            trace.push(`${name} done with ${data.hello}`);
            setResult({ data: { hello: `${data.hello} ${mark}` } });
          },
        }),
      }));
    const answer = await bothWays([done('a', '+a'), logging('x'), done('b', '+b')]);
    expect(answer.trace.filter((entry) => entry.includes(' done '))).toEqual([
      'a done with hello you',
      'b done with hello you +a',
    ]);
    expect(JSON.parse(answer.body)).toEqual({ data: { hello: 'hello you +a +b' } });
  });

  it('run every part’s onRequestParseDone, each seeing what the one before set', async () => {
    const parseDone = (name: string, to: string) =>
      logging(name, (trace) => ({
        onRequestParse: () => ({
          onRequestParseDone: ({ requestParserResult, setRequestParserResult }) => {
            trace.push(`${name} parsed ${JSON.stringify((requestParserResult as { variables?: unknown }).variables)}`);
            setRequestParserResult({ query: 'query ($name: String) { hello(name: $name) }', variables: { name: to } });
          },
        }),
      }));
    const answer = await bothWays([parseDone('a', 'a'), parseDone('b', 'b')]);
    expect(answer.trace.filter((entry) => entry.includes(' parsed '))).toEqual([
      'a parsed undefined',
      'b parsed {"name":"a"}',
    ]);
    expect(JSON.parse(answer.body)).toEqual({ data: { hello: 'hello b' } });
  });

  it('wait for a part that returns a promise before running the next', async () => {
    const answer = await bothWays([
      logging('a', (trace) => ({
        onParams: async () => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          trace.push('a resolved');
        },
      })),
      logging('b'),
    ]);
    const at = (entry: string) => answer.trace.indexOf(entry);
    expect(at('a resolved')).toBeGreaterThan(at('a:onParams'));
    expect(at('b:onParams')).toBeGreaterThan(at('a resolved'));
    expect(JSON.parse(answer.body)).toEqual({ data: { hello: 'hello you' } });
  });

  it('let each onResultProcess part see the result an earlier part set', async () => {
    const answer = await bothWays([
      logging('a', () => ({
        onResultProcess: (payload) => payload.setResult({ data: { hello: 'replaced by a' } }),
      })),
      logging('b', (trace) => ({
        onResultProcess: ({ result }) => {
          trace.push(`b sees ${JSON.stringify(result)}`);
        },
      })),
    ]);
    expect(answer.trace).toContain('b sees {"data":{"hello":"replaced by a"}}');
    expect(JSON.parse(answer.body)).toEqual({ data: { hello: 'replaced by a' } });
  });

  it('let each onResponse part see the response an earlier part set', async () => {
    const answer = await bothWays([
      logging('a', () => ({
        onResponse: (payload) =>
          payload.setResponse(
            new payload.fetchAPI.Response('{"replaced":true}', { status: 202, headers: { 'x-marker': 'a' } }),
          ),
      })),
      logging('b', (trace) => ({
        onResponse: ({ response }) => {
          trace.push(`b sees ${response.status}`);
        },
      })),
    ]);
    expect(answer).toMatchObject({ status: 202, body: '{"replaced":true}', marker: 'a' });
    expect(answer.trace).toContain('b sees 202');
  });

  it('let each validation part see the rules and the validation function earlier parts set', async () => {
    const NoHelloRule: ValidationRule = (context) => ({
      Field(node) {
        if (node.name.value === 'hello') context.reportError(new GraphQLError('a refuses hello', { nodes: node }));
      },
    });
    const answer = await bothWays([
      logging('a', (trace) => ({
        onValidate: ({ addValidationRule, validateFn, setValidationFn }) => {
          addValidationRule(NoHelloRule);
          setValidationFn((...args: Parameters<typeof validateFn>): readonly GraphQLError[] => {
            trace.push('a validates');
            return validateFn(...args) as readonly GraphQLError[];
          });
        },
      })),
      logging('b', (trace) => ({
        onValidate: ({ params, validateFn, setValidationFn }) => {
          trace.push(`b sees ${params.rules?.at(-1)?.name ?? 'no rule'} last`);
          setValidationFn((...args: Parameters<typeof validateFn>): readonly GraphQLError[] => {
            trace.push('b validates');
            return validateFn(...args) as readonly GraphQLError[];
          });
        },
      })),
    ]);
    expect(answer.trace.filter((entry) => !entry.includes(':'))).toEqual([
      'b sees NoHelloRule last',
      'b validates',
      'a validates',
    ]);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({
      errors: [
        {
          message: 'a refuses hello',
          locations: [{ line: 1, column: 3 }],
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        },
      ],
    });
  });

  it('run what each validation part returns in order, each seeing the result the one before set', async () => {
    const rewriting = (name: string) =>
      logging(name, (trace) => ({
        onValidate:
          () =>
          ({ valid, result, setResult }) => {
            trace.push(
              `${name} done: valid ${valid}, ${result.map((e: Error) => e.message).join(', ') || 'no errors'}`,
            );
            setResult([...result, new GraphQLError(`refused by ${name}`)]);
          },
      }));
    const answer = await bothWays([rewriting('a'), logging('x'), rewriting('b')]);
    expect(answer.trace.filter((entry) => entry.includes(' done: '))).toEqual([
      'a done: valid true, no errors',
      'b done: valid true, refused by a',
    ]);
    expect(JSON.parse(answer.body)).toEqual({ errors: [{ message: 'refused by a' }, { message: 'refused by b' }] });
  });

  it('let a later validation part see a rule an earlier one added when the request came with none', () => {
    // Yoga's engine adds graphql's rules first, so its requests always come with rules; envelop
    // alone does not, and starts its array at the first addition.
    const seen: unknown[] = [];
    const [merged] = mergeRequestHooks<Plugin>([
      { onValidate: ({ addValidationRule }) => addValidationRule(NoSchemaIntrospectionCustomRule) },
      { onValidate: ({ params }) => void seen.push(params.rules?.map((rule: { name: string }) => rule.name)) },
    ]);
    let envelopsRules: unknown[] | undefined;
    const payload = {
      params: { rules: undefined },
      addValidationRule: (rule: unknown) => (envelopsRules ||= []).push(rule),
      setValidationFn: () => undefined,
      setResult: () => undefined,
    };
    (merged?.onValidate as (payload: unknown) => unknown)(payload);
    expect(seen).toEqual([['NoSchemaIntrospectionCustomRule']]);
    expect(envelopsRules).toEqual([NoSchemaIntrospectionCustomRule]);
  });

  it('keep each plugin’s other hooks where they were', async () => {
    const answer = await bothWays([
      logging('a', (trace) => ({
        onParse: () => {
          trace.push('a parses');
        },
      })),
    ]);
    expect(answer.trace).toContain('a parses');
  });
});
