// ESLint flat config: typescript-eslint's recommended rules, formatting left to Prettier.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'coverage/**',
      '.venv/**',
      'data/**',
      'models/**',
      'bench/work/**',
      'test-artifacts/**',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read settings through the config schema (config.ts), not process.env.',
        },
      ],
    },
  },
  {
    // The edges that are allowed to read the environment: config schemas, process entry points, tests.
    files: [
      '**/config.ts',
      '**/cli.ts',
      '**/server.ts',
      '**/with-postgres.ts',
      '**/*.test.ts',
      '**/test/**',
      'bench/**',
    ],
    rules: { 'no-restricted-properties': 'off' },
  },
);
