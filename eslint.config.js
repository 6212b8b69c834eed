// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/*
 * Code rules. Which module may import which (the layers, as allowlists per folder; no import
 * cycles; no test code in production; self-contained migrations) is not here but in
 * .dependency-cruiser.mjs, checked by `npm run lint:deps` as part of `npm run lint`.
 */
export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'MemberExpression[object.name=/^(it|test|describe)$/][property.name=/^(only|skip)$/]',
          message: 'No focused or skipped tests.',
        },
      ],
    },
  },
  {
    files: ['renderer/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // Raw IPC only in the typed bridge modules (Zulip-style typed channels).
    files: ['**/*.{ts,tsx}'],
    ignores: [
      'electron/ipc.ts',
      'electron/preload-api.ts',
      'electron/preload.ts',
      'electron/*.test.ts',
    ],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'ipcMain', message: 'Use the typed bridge in electron/ipc.ts.' },
        { object: 'ipcRenderer', message: 'Use the typed bridge in electron/preload-api.ts.' },
      ],
    },
  },
  {
    files: ['scripts/**/*.mjs', '*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
