// Lint rules that carry the architecture (STYLE.md §2.14): checks and parsers do no I/O,
// only the CLI touches process/console, errors are typed.
import js from '@eslint/js';
import globals from 'globals';
import n from 'eslint-plugin-n';
import tseslint from 'typescript-eslint';

const NO_IO = [
  { name: 'node:fs', message: 'Checks and parsers get their input from the engine, not the file system.' },
  { name: 'node:fs/promises', message: 'Checks and parsers get their input from the engine, not the file system.' },
  { name: 'node:http', message: 'Network access goes through src/registry or src/advisories.' },
  { name: 'node:https', message: 'Network access goes through src/registry or src/advisories.' },
  { name: 'chalk', message: 'Colour belongs to reporters/text and the CLI.' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', '*.ts', 'bin/*.js', 'test/bench/*.js', 'test/scripts/*.js'] }, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { n },
    rules: {
      'n/no-process-exit': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-warning-comments': ['error', { terms: ['todo', 'fixme', 'xxx'], location: 'start' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**'],
    rules: {
      'no-console': 'error',
      'no-restricted-globals': ['error', { name: 'process', message: 'Only src/cli knows about process.' }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': 'off',
      // The typescript-eslint variant, so core may name the registry's *types* in CheckServices.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: NO_IO,
          patterns: [
            { group: ['../lockfiles/*', '../checks/*', '../reporters/*', '../cli/*', '../advisories/*', '../config/*'], message: 'core is pure and depends on nothing above it.' },
            { group: ['../registry/*'], allowTypeImports: true, message: 'core may use the registry layer\'s types only.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/checks/**/*.ts', 'src/lockfiles/*.ts', 'src/lockfiles/locate/**/*.ts', 'src/reporters/**/*.ts'],
    ignores: ['src/lockfiles/detect.ts', 'src/lockfiles/walk.ts', 'src/lockfiles/manifest-read.ts', 'src/reporters/text.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: NO_IO, patterns: [{ group: ['../cli/*'], message: 'The CLI adapts the library, never the reverse.' }] }],
    },
  },
  {
    files: ['bin/**/*.js', 'src/cli/**/*.ts'],
    rules: { 'no-restricted-globals': 'off' },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: globals.node },
  },
  {
    // CommonJS (bin/package.json): see bin/pkgguard.js.
    files: ['bin/**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
