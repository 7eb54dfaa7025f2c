// ESLint (flat config): JavaScript recommended + typescript-eslint recommended rules.
// Formatting is Prettier's job (.prettierrc.json); `npm run lint` runs both.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.ackcheck/**', '.scratch/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // A promise returned from inside try/catch/finally or an `await using` scope must be awaited
    // there: otherwise its rejection escapes the handler (under `await using`, Node even ends
    // the process on it: a snapshot() error once crashed the CLI that way).
    files: ['src/**/*.ts', 'bin/**/*.ts', 'suites/**/*.ts', 'fixtures/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true } },
    rules: { '@typescript-eslint/return-await': ['error', 'error-handling-correctness-only'] },
  },
);
