// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/** Modules that make replay impure: file system, process, clock, randomness. */
const impureImports = [
  { name: 'node:fs', message: 'model/ and machines/ do no I/O: replay is a pure function of the log.' },
  { name: 'fs', message: 'model/ and machines/ do no I/O: replay is a pure function of the log.' },
  { name: 'node:fs/promises', message: 'model/ and machines/ do no I/O.' },
  { name: 'fs/promises', message: 'model/ and machines/ do no I/O.' },
  { name: 'node:process', message: 'model/ and machines/ read no environment.' },
  { name: 'node:child_process', message: 'model/ and machines/ spawn nothing.' },
  { name: 'node:timers', message: 'time comes from the events, never from timers.' },
];

/** Import-direction rule: cli -> properties/machines -> model. */
const upward = (layers) =>
  layers.map((l) => ({
    group: [`**/${l}/**`, `../${l}/*`, `../../${l}/*`],
    message: `imports go downward only (cli -> properties/machines -> model); not into ${l}/`,
  }));

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // Formatting is prettier's job (npm run format; checked by npm run lint): no style rules here.
  prettier,
  {
    // Plain Node scripts (launchers, the random-seed runner).
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['model/**/*.ts', 'machines/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: impureImports, patterns: upward(['cli', 'properties']) }],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'no clock in model/ or machines/: time comes from the events.' },
        {
          object: 'Math',
          property: 'random',
          message: 'no randomness in model/ or machines/: derive it from the log.',
        },
        { object: 'crypto', property: 'randomBytes', message: 'no randomness in model/ or machines/.' },
        { object: 'process', property: 'env', message: 'model/ and machines/ read no environment.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'no clock: new Date() without an argument reads the clock.',
        },
        {
          selector:
            'ImportSpecifier[imported.name=/^(randomBytes|randomUUID|randomInt|generateKeyPair|generateKeyPairSync)$/]',
          message: 'no randomness in model/ or machines/.',
        },
      ],
    },
  },
  {
    files: ['model/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: impureImports, patterns: upward(['cli', 'properties', 'machines']) }],
    },
  },
);
