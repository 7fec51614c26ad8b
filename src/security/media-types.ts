/** Body types Yoga can read; anything else gets a coded 415 instead of Yoga's empty one. */
import type { Plugin } from 'graphql-yoga';
import { errorResponseBody } from '../errors.js';

const READABLE_BODIES = new Set([
  'application/json',
  'application/graphql+json',
  'application/graphql-response+json',
  'application/graphql',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
]);

export function useSupportedMediaTypes(): Plugin {
  return {
    onRequestParse({ request, endResponse, fetchAPI }) {
      if (request.method !== 'POST') return;
      const type = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      if (READABLE_BODIES.has(type)) return;
      endResponse(
        new fetchAPI.Response(
          errorResponseBody(
            `Send the request body as application/json (got ${JSON.stringify(type || 'no content type')}).`,
            'BAD_REQUEST',
          ),
          { status: 415, headers: { 'content-type': 'application/json; charset=utf-8' } },
        ),
      );
    },
  };
}
