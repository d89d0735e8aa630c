// Zero warnings allowed (`eslint --max-warnings 0`): type-aware TypeScript rules
// (typescript-eslint's recommendedTypeChecked, no-floating-promises), Lit and
// web-component rules over everything we ship, test and build.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'coverage/',
      '.screenshots/',
      'demo/examples/*/dist/',
      '.next-example/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    // Type-aware rules read the TypeScript project of each file.
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  // Plain JavaScript (configs, scripts) is linted without type information.
  { files: ['**/*.{js,mjs,cjs}'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['**/*.{ts,tsx,mts}'],
    rules: {
      // A promise nobody awaits is a failure nobody sees. node:test's test() and
      // describe() return promises that the runner itself awaits.
      // An AbortSignal's reason is `any` by type and is passed on as the rejection on purpose.
      '@typescript-eslint/prefer-promise-reject-errors': [
        'error',
        { allowThrowingAny: true, allowThrowingUnknown: true },
      ],
      // Async methods that implement an async interface (stores, fetch stand-ins) need no await.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: [
                'test',
                'describe',
                'it',
                'suite',
                'before',
                'after',
                'beforeEach',
                'afterEach',
              ],
            },
          ],
        },
      ],
    },
  },
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.browser, ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['src/element/**/*.ts', 'src/define.ts', 'src/index.ts'],
    ...lit.configs['flat/recommended'],
  },
  {
    files: ['src/element/**/*.ts', 'src/define.ts', 'src/index.ts'],
    ...wc.configs['flat/recommended'],
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-expressions': 'off',
      // Tests read JSON and page globals whose shape is the thing under test.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      // Tests print what they got, whatever it is, and pass handlers to servers and fakes.
      '@typescript-eslint/restrict-template-expressions': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/prefer-promise-reject-errors': 'off',
    },
  },
  {
    // @open-wc/testing's DOM-diff plugin types chai's `equal` as a promise (it is one only
    // for DOM snapshots), so in browser tests every plain `expect(x).to.equal(y)` would read
    // as floating. Node tests, sources, benches and scripts keep the rule.
    files: ['test/browser/**/*.ts'],
    rules: { '@typescript-eslint/no-floating-promises': 'off' },
  },
  {
    // The element only wires attributes, controllers and the view: the flow's code goes in
    // view.ts and the modules under it, never in the eager shell.
    files: ['src/element/fashn-try-on.ts'],
    rules: { 'max-lines': ['error', { max: 300 }] },
  },
  // The runtime examples (Deno, Bun, workerd, Next.js) are outside the project's tsconfig:
  // their runtimes' own globals are not in it. Linted without types; run by the runtimes test.
  { files: ['examples/proxy/**/*.ts'], ...tseslint.configs.disableTypeChecked },
);
