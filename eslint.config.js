import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // test/interop is its own package (typechecked with its own tsconfig by .ci/run).
  { ignores: ['dist/', 'node_modules/', 'src/generated/', 'client/generated/', 'coverage/', 'test/interop/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      'no-console': 'error',
    },
  },
  {
    // V8 makes the getter pair of an object literal with getters in the old generation, so what
    // its getters close over survives young-generation collections: made per request, such
    // literals had most of every page request promoted (bench/README.md). Getters go on classes.
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ObjectExpression > Property[kind='get'], ObjectExpression > Property[kind='set']",
          message:
            'An object literal with a getter or setter keeps what it closes over through young-generation collections (V8 makes its accessor pair in the old generation). Use a class with the accessor on its prototype.',
        },
      ],
    },
  },
  {
    // Tests assert on JSON of arbitrary shape.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  { files: ['eslint.config.js'], ...tseslint.configs.disableTypeChecked },
  {
    // The dashboard is plain browser JavaScript, outside the TypeScript project.
    files: ['client/dashboard/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    rules: { ...tseslint.configs.disableTypeChecked.rules, 'no-undef': 'off' },
  },
);
