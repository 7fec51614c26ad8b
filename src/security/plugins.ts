/**
 * The Yoga plugins that decide who may ask, what and how much, in the order they run: readable
 * bodies and sane variables, authentication and per-client rate limits (before any parsing),
 * browser protections, trusted documents, the subgraph SDL in production, operation limits
 * (graphql-armor and a limit-aware cost), introspection, and the security headers.
 */
import { EnvelopArmor } from '@escape.tech/graphql-armor';
import { NoSchemaIntrospectionCustomRule, type GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config/config.js';
import type { CallerChecks } from './caller-checks.js';
import { useCostLimit, V2_CALLING_FIELDS } from './cost.js';
import { useCsrfPrevention } from './csrf.js';
import { useEntityChecks } from './entities.js';
import { useSecurityHeaders } from './headers.js';
import { useSupportedMediaTypes } from './media-types.js';
import { useRequestShape } from './request-shape.js';
import { useServiceSdlGuard } from './service-sdl.js';
import { useTrustedDocuments } from './trusted-documents.js';

export function securityPlugins(config: Config, callerChecks: CallerChecks): Plugin[] {
  const plugins: Plugin[] = [
    useSupportedMediaTypes(),
    useRequestShape(),
    callerChecks.plugin(),
    useCsrfPrevention(config.server.corsOrigins),
  ];
  const persisted = config.persistedOperations;
  if (persisted.file !== null) plugins.push(useTrustedDocuments(persisted.file, persisted.allowArbitrary));
  if (config.production) plugins.push(useServiceSdlGuard(config.serviceSdl, config.limits.maxTokens));
  // Armor's errors carry no code: they are validation errors (the token limit: a parse error). Its
  // messages open with "Syntax Error:" for what is no syntax error; ours say what to change.
  const coded = (code: string, advice: string) => ({
    onReject: [
      (_context: unknown, error: GraphQLError) => {
        Object.assign(error.extensions, { code });
        error.message = `${error.message.replace(/^Syntax Error: /, '')} ${advice}`;
      },
    ],
  });
  const { limits } = config;
  const armor = new EnvelopArmor({
    maxDepth: { n: limits.maxDepth, ...coded('GRAPHQL_VALIDATION_FAILED', 'Select less deeply nested fields.') },
    maxAliases: { n: limits.maxAliases, ...coded('GRAPHQL_VALIDATION_FAILED', 'Use fewer aliases in one operation.') },
    maxDirectives: { n: limits.maxDirectives, ...coded('GRAPHQL_VALIDATION_FAILED', 'Use fewer directives.') },
    maxTokens: { n: limits.maxTokens, ...coded('GRAPHQL_PARSE_FAILED', 'Send a shorter document.') },
    // Armor's cost ignores arguments; useCostLimit below scales lists by their limit.
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: config.production },
  });
  // Armor speaks plain envelop plugins; Yoga runs them as they are.
  plugins.push(
    ...(armor.protect().plugins as Plugin[]),
    useEntityChecks(config.limits.maxEntityRepresentations),
    useCostLimit(config.limits.maxCost, config.upstream.batchApi === 'v2' ? V2_CALLING_FIELDS : undefined),
  );
  // Introspection is refused in production by graphql's own rule, as Yoga's disable-introspection
  // plugin does; that plugin decides per request (a promise helper in onRequestParse and a WeakSet
  // of requests, about 5 µs each) what the gateway never varies.
  if (config.production) {
    plugins.push({ onValidate: ({ addValidationRule }) => addValidationRule(NoSchemaIntrospectionCustomRule) });
  }
  plugins.push(useSecurityHeaders());
  return plugins;
}
