// ESLint flat config: typescript-eslint's type-aware recommended and strict rules for the
// TypeScript in src/ and test/, ESLint's recommended rules for the plain JavaScript of scripts/ and
// bin/. Formatting is Prettier's job (`npm run format:check`): none of these sets has a formatting
// rule, so there is nothing to turn off for it.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

// The Node globals the plain JavaScript files use (the `globals` package is not a dependency).
const nodeGlobals = Object.fromEntries(
  ['Buffer', 'URL', 'console', 'fetch', 'process', 'setTimeout', 'clearTimeout'].map((name) => [name, 'readonly']),
);

// Strict's settings, except that numbers and booleans may appear in template literals: they read
// naturally in messages. Nullable values, `any` and objects stay errors: they print "undefined"
// or "[object Object]".
const templateOptions = {
  allowAny: false,
  allowBoolean: true,
  allowNever: false,
  allowNullish: false,
  allowNumber: true,
  allowRegExp: false,
};

export default defineConfig(
  globalIgnores(['dist/', 'build/', 'node_modules/', 'test/**/fixtures/']),
  js.configs.recommended,
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: nodeGlobals },
  },
  {
    files: ['bin/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly' } },
  },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.strictTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Off: with noUncheckedIndexedAccess every indexed read is `T | undefined`; `xs[i]!` after a
      // bounds check is this code base's idiom (over 250 of them), and a runtime check in its place
      // would be a branch no test can reach.
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/restrict-template-expressions': ['error', templateOptions],
      // `() => stream.close()` as a callback is clearer than a block; void expressions used as
      // values elsewhere stay errors.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Off in tests: they read decoded output (the CLI's JSON and SARIF, protobufjs messages) as
      // `any` and the assertions themselves check its shape; typing it would restate the schemas.
      // For the same reason `any` may appear in their template literals.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/restrict-template-expressions': ['error', { ...templateOptions, allowAny: true }],
    },
  },
);
