/**
 * In production the subgraph's SDL (`_service { sdl }`) is the whole schema, which introspection
 * being off is meant to keep from strangers. Only the callers the operator names may read it: a
 * router sending SERVICE_SDL_SECRET in the SERVICE_SDL_HEADER header, or under AUTH_MODE=jwt a
 * token with JWT_SERVICE_SDL_SCOPE.
 *
 * Checked on the request's parameters, like authentication, so a refused request never joins an
 * identical execution already running for an allowed one.
 */
import { timingSafeEqual } from 'node:crypto';
import { parse, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config/config.js';
import { GatewayError } from '../errors.js';
import { requestState } from '../request-state.js';
import { rootFields } from './root-fields.js';

export const SERVICE_SDL_HEADER = 'x-service-sdl-secret';

export function useServiceSdlGuard(config: Config['serviceSdl'], maxTokens: number): Plugin {
  const secret = config.secret === null ? null : Buffer.from(config.secret);
  const allowed = (request: Request): boolean => {
    const given = request.headers.get(SERVICE_SDL_HEADER);
    if (secret !== null && given !== null) {
      const bytes = Buffer.from(given);
      if (bytes.length === secret.length && timingSafeEqual(bytes, secret)) return true;
    }
    const viewer = requestState(request).viewer;
    return config.scope !== null && viewer?.grants.has(config.scope) === true;
  };
  return {
    onParams({ params, request }) {
      // A cheap look first: almost no request mentions _service at all.
      if (typeof params.query !== 'string' || !params.query.includes('_service')) return;
      if (!selectsService(params.query, params.operationName, maxTokens) || allowed(request)) return;
      throw new GatewayError(
        'FORBIDDEN',
        `The subgraph schema (_service) is served in production only to the graph's router: send the ${SERVICE_SDL_HEADER} header with SERVICE_SDL_SECRET, or a token with the JWT_SERVICE_SDL_SCOPE scope.`,
        { http: { status: 403 } },
      );
    },
  };
}

/** True when the operation to run asks for `_service` at its root. A document that does not parse is Yoga's to refuse. */
function selectsService(query: string, operationName: string | undefined, maxTokens: number): boolean {
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens });
  } catch {
    return false;
  }
  return rootFields(document, operationName).some((field) => field.name.value === '_service');
}
