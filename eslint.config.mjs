// ESLint flat config: typescript-eslint recommended rules over every TypeScript source.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      '.cache/',
      'cdk.out/',
      'coverage/',
      'test/support/*.js',
      'jest.config.js',
      'services/**/dist/',
      'services/**/node_modules/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // CDK constructs are instantiated for their side effects on the tree.
      'no-new': 'off',
    },
  },
  {
    // Test files make temporary folders with test/support/scratch.ts's scratchDir, removed when the file ends.
    files: ['test/**/*.ts'],
    ignores: ['test/support/scratch.ts', 'test/support/global-setup.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.name='mkdtempSync'] CallExpression[callee.name='tmpdir']",
          message: 'Use scratchDir (test/support/scratch.ts): its folders are removed when the test file ends.',
        },
      ],
    },
  },
);
