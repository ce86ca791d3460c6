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
);
