/**
 * The last step of every error a client sees: its code from the closed set (errors.ts), no
 * upstream key in it, only public extensions in production; and the count of errors by code.
 */
import { GraphQLError, isEnumType, type GraphQLSchema } from 'graphql';
import { maskError, type Plugin } from 'graphql-yoga';
import { isOriginalGraphQLError, KNOWN_ERROR_CODES } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import { requestState } from '../request-state.js';
import { createScrubber } from '../upstream/scrub.js';

/** Yoga's code for a document whose operation to run cannot be told (several, or none by that name). */
const OPERATION_RESOLUTION_FAILURE = 'OPERATION_RESOLUTION_FAILURE';
const NO_OPERATION_CHOSEN =
  'Could not tell which operation to run: the document holds several operations (send operationName with the name of one), or none named as operationName says (send the name of an operation in the document).';

/** graphql-js's words for an enum value the type does not have; its suggestions name only the nearest. */
const UNKNOWN_ENUM_VALUE = /Value "[^"]*" does not exist in "(\w+)" enum\./;
const VALID_VALUES = ' Valid values: ';
/** graphql-js's words for a variable that cannot be coerced to its type. */
const INVALID_VARIABLE = /^Variable "\$[^"]+" (got invalid value|of required type|of non-null type)/;

/** Every enum of the schema with its values, to list them when a client sends one it does not have. */
export function enumValuesOf(schema: GraphQLSchema): ReadonlyMap<string, string> {
  const values = new Map<string, string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (isEnumType(type) && !type.name.startsWith('__')) {
      // UNKNOWN is what the gateway serves for values it does not know; no client may send it.
      const names = type.getValues().map((value) => value.name);
      values.set(type.name, names.filter((name) => name !== 'UNKNOWN').join(', '));
    }
  }
  return values;
}

/** The extensions a client may see in production; Yoga's `originalError` and the like are dropped. */
const PUBLIC_EXTENSIONS = new Set(['code', 'upstreamStatus', 'retryAfterSeconds', 'argument', 'http']);

/**
 * Every error a client sees carries a code from the closed set: errors Yoga raises without one
 * (an unreadable body, a wrong method) become BAD_REQUEST, and an unknown code is masked. In
 * production, extensions beyond the documented ones are removed.
 */
export function useClosedErrorCodes(
  production: boolean,
  upstreamKey: string | null,
  enumValues: ReadonlyMap<string, string>,
): Plugin {
  // The upstream client scrubs what it passes on; this is the last look before a client sees it.
  const scrub = createScrubber(upstreamKey ?? '').text;
  return {
    onResultProcess({ result }) {
      for (const item of Array.isArray(result) ? result : [result]) {
        const errors =
          (item as { errors?: ReadonlyArray<{ message?: unknown; extensions?: Record<string, unknown> }> }).errors ??
          [];
        for (const error of errors) {
          if (typeof error !== 'object') continue;
          if (typeof error.message === 'string') {
            const message = scrub(error.message);
            const enumName = UNKNOWN_ENUM_VALUE.exec(message)?.[1];
            const valid = enumName === undefined ? undefined : enumValues.get(enumName);
            // Validation errors are cached with their document: this may be the same error again.
            const listed = valid === undefined || message.includes(VALID_VALUES);
            error.message = listed ? message : `${message}${VALID_VALUES}${valid}.`;
          }
          if (!error.extensions) continue;
          // A value sent in variables is the same mistake as one written in the document: the same
          // code family and the same status (200 for application/json, 400 for
          // application/graphql-response+json, as the GraphQL-over-HTTP spec has validation).
          const invalidVariable = typeof error.message === 'string' && INVALID_VARIABLE.test(error.message);
          if (invalidVariable) error.extensions.code = 'BAD_USER_INPUT';
          for (const [key, value] of Object.entries(error.extensions)) {
            if (typeof value === 'string') error.extensions[key] = scrub(value);
          }
          const code = error.extensions.code;
          if (code === OPERATION_RESOLUTION_FAILURE) {
            // Yoga's wording says what went wrong but not what to send instead.
            error.extensions.code = 'BAD_REQUEST';
            error.message = NO_OPERATION_CHOSEN;
          } else if (code === undefined) {
            error.extensions.code = 'BAD_REQUEST';
          } else if (typeof code !== 'string' || !KNOWN_ERROR_CODES.has(code))
            error.extensions.code = 'INTERNAL_SERVER_ERROR';
          if (production) {
            for (const key of Object.keys(error.extensions)) {
              if (!PUBLIC_EXTENSIONS.has(key)) Reflect.deleteProperty(error.extensions, key);
            }
            // Yoga picks a request error's 4xx status from its originalError; keep that status.
            const http = error.extensions.http;
            if (typeof http === 'object' && http !== null) error.extensions.http = { ...http, spec: false };
          }
          if (invalidVariable) error.extensions.http = { status: 400, spec: true };
        }
      }
    },
  };
}

/**
 * Yoga's error masking: GraphQL errors we raised pass as they are; anything else is a bug,
 * logged whole here and shown to the client as INTERNAL_SERVER_ERROR with no stack, whatever
 * NODE_ENV says.
 */
export function createErrorMasker(logger: Logger): (error: unknown, message: string) => Error {
  return (error, message) => {
    if (!isOriginalGraphQLError(error)) {
      logger.error({ err: error instanceof GraphQLError ? (error.originalError ?? error) : error }, 'unexpected error');
    }
    return maskError(error, message, false);
  };
}

/** Counts every error sent to a client by its `extensions.code`, and keeps the codes with the request. */
export function useErrorCounts(metrics: GatewayMetrics): Plugin {
  return {
    onResultProcess({ request, result }) {
      const codes: string[] = [];
      for (const item of Array.isArray(result) ? result : [result]) {
        const errors = (item as { errors?: ReadonlyArray<{ extensions?: { code?: unknown } }> }).errors ?? [];
        for (const error of errors) {
          const code = error.extensions?.code;
          codes.push(typeof code === 'string' ? code : 'UNKNOWN');
        }
      }
      for (const code of codes) metrics.graphqlErrors.inc({ code });
      if (codes.length > 0) requestState(request).errorCodes = codes;
    },
  };
}
