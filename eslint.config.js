// ESLint: TypeScript and React hooks rules, and the rules that keep the layers apart.
import nextPlugin from '@next/eslint-plugin-next';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/** Modules under server/ that hold no server-only code and that the browser may load. */
const clientSafeServerModules = ['runs/wire-events', 'runs/run-job', 'access/roles', 'api/limits', 'http/app-request'];
const serverOnly = `^(\\.\\./)+server/(?!(${clientSafeServerModules.map((m) => m.replace('/', '\\/')).join('|')})$)`;

const restrict = (patterns, message) => ({
  '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ group: patterns, message, allowTypeImports: true }] }],
});

export default tseslint.config(
  { ignores: ['node_modules/**', '.next/**', '.next-*/**', 'server/db/generated/**', 'data/**', 'out/**', 'test-output/**', 'next-env.d.ts', '.gl/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['app/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks, '@next/next': nextPlugin },
    rules: { ...nextPlugin.configs.recommended.rules, 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  // Nodes are declarations and algorithms: no server, no app.
  {
    files: ['nodes/**/*.ts'],
    ignores: ['nodes/**/*.test.ts'],
    rules: restrict(['**/server/**', '**/app/**', '**/cli/**'], 'nodes/ must not import server/, app/ or cli/: it is the node library the engine runs.'),
  },
  // The engine is pure: no database, HTTP, queue, storage or model runtime.
  {
    files: ['engine/**/*.ts'],
    ignores: ['engine/**/*.test.ts'],
    rules: restrict(
      ['**/server/**', '**/app/**', '**/cli/**', 'onnxruntime-node', '@prisma/*', 'pg', 'ioredis', 'bullmq', '@aws-sdk/*', 'next', 'next/*', 'node:http', 'node:net'],
      'engine/ is pure: no database, HTTP, queue, storage or model runtime (those live in server/).',
    ),
  },
  // The browser loads only client-safe code: the engine, node declarations' metadata and a few shared contracts.
  {
    files: ['app/**/*.{ts,tsx}'],
    ignores: ['app/api/**', 'app/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: serverOnly,
              message: 'app/ runs in the browser: import engine/ or a client-safe contract, not server/ (type imports are fine).',
              allowTypeImports: true,
            },
            { group: ['onnxruntime-node', 'sharp', '@prisma/*', 'pg', 'ioredis', 'bullmq', '@aws-sdk/*', 'node:*'], message: 'a server-only package in browser code', allowTypeImports: true },
          ],
        },
      ],
    },
  },
);
