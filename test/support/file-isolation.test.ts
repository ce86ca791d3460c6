import { STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import * as https from 'https';
import { App, Aws, Lazy, Stack, Tokenization } from 'aws-cdk-lib';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import {
  changedKeys,
  guardedFile,
  leaks,
  mockedClientClasses,
  releaseConstructTokens,
  restore,
} from './file-isolation';

// test/support/file-isolation.ts is jest.config.js's setupFilesAfterEnv: these tests check that its per-file hooks
// run under jest-light-runner, and that each leak it watches is named and then undone by restore().
describe('file isolation between test files sharing a process', () => {
  afterEach(() => restore());

  test('the per-file hook ran for this file, and the file started from the baseline', () => {
    expect(guardedFile()).toBe(__filename);
    expect(leaks()).toEqual([]);
    // The start hook released the reference tokens an earlier file in this process left (none when this file is first).
    expect(releaseConstructTokens()).toBe(0);
  });

  test('an environment variable set, changed or deleted is named (not its value), and restored', () => {
    const before = process.env.CDK_VALIDATION;
    expect(before).toBe('false'); // test/support/cdk-context.js
    process.env.HIPAA_ISOLATION_PROBE = 'synthetic-value';
    delete process.env.CDK_VALIDATION;
    expect(leaks()).toEqual(['environment variables changed: CDK_VALIDATION, HIPAA_ISOLATION_PROBE']);
    restore();
    expect(process.env.HIPAA_ISOLATION_PROBE).toBeUndefined();
    expect(process.env.CDK_VALIDATION).toBe(before);
    expect(leaks()).toEqual([]);
  });

  test('process.env replaced by another object is named, and the real one put back', () => {
    const real = process.env;
    process.env = { ...real };
    expect(leaks()).toEqual(['process.env was replaced by another object']);
    restore();
    expect(process.env).toBe(real);
  });

  test('an AWS SDK client class left mocked by aws-sdk-client-mock is named, and its send restored', () => {
    const sts = mockClient(STSClient);
    expect(mockedClientClasses().map((c) => c.name)).toEqual(['STSClient']);
    expect(leaks()).toEqual(['STSClient.prototype.send is still mocked (call .restore())']);
    restore();
    expect(Object.prototype.hasOwnProperty.call(STSClient.prototype, 'send')).toBe(false);
    expect(sts.send.called).toBe(false);
    expect(leaks()).toEqual([]);
  });

  test('https.globalAgent options, replaced writers and console methods, and process.exitCode are named', () => {
    https.globalAgent.options.ca = 'synthetic-ca';
    const log = console.log;
    console.log = () => undefined;
    process.exitCode = 3;
    expect(leaks()).toEqual([
      'https.globalAgent.options changed: ca',
      'console.log was replaced',
      'process.exitCode was set to 3',
    ]);
    restore();
    expect(https.globalAgent.options.ca).toBeUndefined();
    expect(console.log).toBe(log);
    expect(process.exitCode).toBeUndefined();
  });

  test('a jest.spyOn spy left in place is restored', () => {
    const write = process.stderr.write;
    jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(process.stderr.write).not.toBe(write);
    expect(leaks()).toEqual(['process.stderr.write was replaced']);
    restore();
    expect(process.stderr.write).toBe(write);
  });

  test('the reference tokens of constructs are released from aws-cdk-lib’s registry (as the hooks do at each file’s start and end); other tokens stay', () => {
    const stack = new Stack(new App(), 'Isolation');
    const bucket = new CfnBucket(stack, 'Bucket');
    const ref = bucket.ref;
    const arn = bucket.attrArn;
    const lazy = Lazy.string({ produce: () => 'produced' });
    const region = Aws.REGION;
    expect(stack.resolve(ref)).toEqual({ Ref: 'Bucket' });
    // The registry holds the bucket's tokens (a renamed registry would release nothing and fail here).
    expect(releaseConstructTokens()).toBeGreaterThanOrEqual(2);
    expect(() => Tokenization.reverseString(ref)).toThrow(/Unrecognized token key/);
    expect(() => Tokenization.reverseString(arn)).toThrow(/Unrecognized token key/);
    expect(stack.resolve(lazy)).toBe('produced');
    expect(stack.resolve(region)).toEqual({ Ref: 'AWS::Region' });
    expect(releaseConstructTokens()).toBe(0);
    // Tokens registered after the registry's maps were replaced (above) are released too.
    const later = new CfnBucket(stack, 'Later').ref;
    expect(releaseConstructTokens()).toBe(1);
    expect(() => Tokenization.reverseString(later)).toThrow(/Unrecognized token key/);
  });

  test('changedKeys compares values by identity, over the keys of both objects', () => {
    const shared = {};
    expect(changedKeys({ a: 1, b: shared, c: 3 }, { a: 1, b: shared, d: 4 })).toEqual(['c', 'd']);
    expect(changedKeys({ b: {} }, { b: {} })).toEqual(['b']);
  });
});
