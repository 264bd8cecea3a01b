// Strict lint for the TypeScript sources; examples and tests of user models are plain JS.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import kernelNames from './src/runtime/kernel/globals.json' with { type: 'json' };

/** The kernel API a driver model sees as globals (src/runtime/kernel). */
const kernelGlobals = Object.fromEntries(kernelNames.map((n) => [n, 'readonly']));

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.cache/**',
      'test/fixtures/**',
      'out/**',
      'src/**/*.generated.js',
    ],
  },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    ignores: ['types/**'],
    extends: [...tseslint.configs.strictTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true, allowNullish: true },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-confusing-void-expression': 'off',
      // DAP session handlers are async overrides of void methods (as in vscode-mock-debug).
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { inheritedMethods: false } },
      ],
      '@typescript-eslint/no-unnecessary-condition': [
        'error',
        { allowConstantLoopConditions: true },
      ],
    },
  },
  {
    // The models' declaration file lives outside the project's compile scope (its globals must
    // not leak into our code): linted without type information.
    files: ['types/**/*.d.ts'],
    extends: [...tseslint.configs.strict],
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // Driver models: CommonJS or ES modules with the kernel API as globals.
    files: ['examples/**/*.{js,mjs,cjs}', 'bench/models/**/*.{js,mjs,cjs}'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node, ...kernelGlobals } },
    rules: { 'no-unused-vars': ['error', { argsIgnorePattern: '^_' }] },
  },
  prettier,
);
