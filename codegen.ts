import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed resolvers from schema/. The output is committed (src/generated/) so the project builds
 * without a codegen step; CI regenerates it and fails when the committed copy is stale.
 */
const config: CodegenConfig = {
  schema: 'schema/*.graphql',
  generates: {
    'src/generated/resolvers-types.ts': {
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        useTypeImports: true,
        federation: true,
        strictScalars: true,
        avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
        contextType: '../graphql/context.js#GatewayContext',
        scalars: { DateTime: 'string', _FieldSet: 'string' },
        // A resolver's parent is the model the upstream's answer was validated into, already under
        // the schema's field names (upstream/wire.ts), so scalar fields need no resolvers.
        mappers: {
          BatchJob: '../upstream/wire.js#BatchJobModel',
          BatchJobItem: '../upstream/wire.js#BatchJobItemModel',
        },
        // GraphQL enums carry the upstream's lowercase wire values internally. (Pointing at the wire
        // unions rather than inline value maps: inline maps hit graphql-code-generator#10204.)
        enumValues: {
          BatchJobType: '../upstream/wire.js#BatchJobTypeValue',
          BatchJobStatus: '../upstream/wire.js#BatchJobStatusValue',
          BatchJobItemStatus: '../upstream/wire.js#BatchJobItemStatusValue',
        },
      },
    },
    // Typed documents for the operations a dashboard needs, and the trusted-documents manifest
    // (hash → operation) that PERSISTED_OPERATIONS_FILE takes.
    'client/generated/': {
      documents: ['client/operations/*.graphql'],
      preset: 'client',
      presetConfig: {
        fragmentMasking: false,
        persistedDocuments: { mode: 'replaceDocumentWithHash', hashAlgorithm: 'sha256' },
      },
      config: {
        useTypeImports: true,
        // ESM: relative imports with their .js extension.
        emitLegacyCommonJSImports: false,
        strictScalars: true,
        scalars: {
          DateTime: 'string',
          _FieldSet: 'string',
          _Any: 'unknown',
          link__Import: 'unknown',
          federation__FieldSet: 'string',
          federation__Scope: 'string',
        },
        enumsAsTypes: true,
      },
    },
  },
};

export default config;
