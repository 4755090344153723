// Lint: typescript-eslint's recommended rules plus the layer rules of STYLE.md.
// Only src/vscode/** and src/extension.ts may import 'vscode'; src/common/** is pure (no Node built-ins,
// no native or wasm runtimes); src/node/** never reaches the vscode or webview layers.
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const NODE_BUILTINS = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const VSCODE = { name: 'vscode', message: "Only src/vscode/** and src/extension.ts may import 'vscode'." };
const UP_TO = (layer) => ({ group: [`**/${layer}/**`, `../${layer}/*`, `../../${layer}/*`], message: `This layer must not import src/${layer}.` });

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-e2e/**', '.eval-data/**', '.models/**', 'test/bench/.tune/**', 'test/fixtures/**', 'e2e/**', 'media/**', '**/*.cjs', '**/*.mjs', '**/*.js'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'TSEnumDeclaration', message: 'Use an `as const` object and a union type instead of enum.' }],
    },
  },
  {
    files: ['src/common/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [VSCODE, ...NODE_BUILTINS.map((name) => ({ name, message: 'src/common is pure: no Node built-ins.' })),
          { name: 'onnxruntime-node', message: 'src/common is pure.' }, { name: 'web-tree-sitter', message: 'src/common is pure (type-only imports are fine).', allowTypeImports: true }],
        patterns: [UP_TO('node'), UP_TO('vscode'), UP_TO('webview'), UP_TO('cli')],
      }],
    },
  },
  {
    files: ['src/node/**/*.ts', 'src/cli/**/*.ts', 'test/unit/**/*.ts', 'test/bench/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [VSCODE], patterns: [UP_TO('vscode'), UP_TO('webview')] }] },
  },
  {
    files: ['src/webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [VSCODE, ...NODE_BUILTINS.map((name) => ({ name, message: 'The webview runs in a browser.' }))],
        patterns: [UP_TO('node'), UP_TO('vscode'), UP_TO('cli')] }],
    },
  },
  {
    files: ['src/vscode/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [UP_TO('webview'), UP_TO('cli')] }] },
  },
);
