// Lint runs in `npm test` mainly for one class of bug that review misses:
// regular expressions that backtrack super-linearly on hostile text (one
// crafted Slack message froze the process for seconds). eslint-plugin-regexp's
// two super-linear rules catch those as errors; otherwise the recommended sets,
// so the linter finds bugs rather than restyling the codebase.
import js from '@eslint/js';
import regexp from 'eslint-plugin-regexp';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'build/', 'node_modules/', 'test-results/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  regexp.configs['flat/recommended'],
  {
    rules: {
      'regexp/no-super-linear-backtracking': 'error',
      'regexp/no-super-linear-move': 'error',
      // A leading underscore marks a value left out on purpose (`const { token: _token, ...rest }`).
      // `let x!: T` assigned once after a closure that reads it (the stand-ins' servers) is not a const candidate.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    // Plain JavaScript run by Node (this file, .ci's scripts).
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
