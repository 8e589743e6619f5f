/**
 * ESLint (flat config), run by `npm run lint`: the recommended rules of ESLint and typescript-eslint,
 * plus rules that catch real defects and need the types (a promise nobody waits for, a promise where
 * a callback's result is ignored, awaiting what is not a promise, a thrown non-Error…). No rule on
 * layout: Prettier formats, and eslint-config-prettier turns off whatever would fight it.
 */
import { defineConfig } from 'eslint/config';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/** What the build scripts (plain Node ES modules) use of Node's globals. */
const NODE_GLOBALS = {
  process: 'readonly',
  console: 'readonly',
  setTimeout: 'readonly',
  clearTimeout: 'readonly',
  setInterval: 'readonly',
  clearInterval: 'readonly',
  fetch: 'readonly',
  URL: 'readonly',
  Buffer: 'readonly',
};

export default defineConfig(
  { ignores: ['dist/', 'out/', 'node_modules/', '.vscode-test/', '.cache/', 'test-results/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: {
        // the two programs of the project: the server, client, tests and bench; the end-to-end tests
        project: ['./tsconfig.json', './tsconfig.e2e.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // the compiler already knows every name (and the globals of each build)
      'no-undef': 'off',
      // a promise that is neither awaited nor handled loses its rejection (node:test's test() and
      // describe() are awaited by the runner)
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/prefer-promise-reject-errors': 'error',
      '@typescript-eslint/no-for-in-array': 'error',
      '@typescript-eslint/no-array-delete': 'error',
      '@typescript-eslint/no-implied-eval': 'error',
      '@typescript-eslint/no-unsafe-unary-minus': 'error',
      '@typescript-eslint/restrict-plus-operands': 'error',
      '@typescript-eslint/unbound-method': 'error',
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: NODE_GLOBALS },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
  {
    rules: {
      // a name starting with _ is unused on purpose (a parameter a callback's signature imposes)
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      // the scanners and the binary-file test look for control characters on purpose
      'no-control-regex': 'off',
      eqeqeq: ['error', 'smart'],
      'no-self-compare': 'error',
      'no-unmodified-loop-condition': 'error',
      'no-constructor-return': 'error',
      'no-new-wrappers': 'error',
      'no-return-assign': ['error', 'except-parens'],
    },
  },
  prettier,
);
