/** Trusted documents (PERSISTED_OPERATIONS_FILE): a manifest of hash → operation. */
import { readFileSync } from 'node:fs';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** Trusted documents: a manifest of hash → operation; optionally nothing else runs. */
export function useTrustedDocuments(file: string, allowArbitrary: boolean): Plugin {
  const manifest = loadManifest(file);
  const error = (code: string, message: string, status: number) => () =>
    new GraphQLError(message, { extensions: { code, http: { status } } });
  return usePersistedOperations({
    allowArbitraryOperations: allowArbitrary,
    extractPersistedOperationId: (params) => {
      const body = params as { extensions?: { persistedQuery?: { sha256Hash?: unknown } }; documentId?: unknown };
      const hash = body.extensions?.persistedQuery?.sha256Hash ?? body.documentId;
      return typeof hash === 'string' ? hash.replace(/^sha256:/, '') : null;
    },
    getPersistedOperation: (hash) => manifest.get(hash) ?? null,
    customErrors: {
      notFound: error(
        'PERSISTED_QUERY_NOT_FOUND',
        "This operation is not in the gateway's list of trusted operations. Regenerate the client's operations and the manifest together.",
        400,
      ),
      keyNotFound: error(
        'BAD_REQUEST',
        'Send a query, or a trusted operation id in extensions.persistedQuery.sha256Hash.',
        400,
      ),
      persistedQueryOnly: error(
        'PERSISTED_QUERY_ONLY',
        'This gateway runs trusted operations only: send extensions.persistedQuery.sha256Hash instead of the query text.',
        400,
      ),
    },
  });
}

/** Reads a `{ "<sha256>": "<operation>" }` manifest (the client preset's persisted-documents.json). */
export function loadManifest(file: string): Map<string, string> {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${file} must be a JSON object of hash → operation`);
  }
  const manifest = new Map<string, string>();
  for (const [hash, operation] of Object.entries(parsed)) {
    if (typeof operation === 'string') manifest.set(hash.replace(/^sha256:/, ''), operation);
  }
  return manifest;
}
