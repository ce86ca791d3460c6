import { STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import * as https from 'https';
import { changedKeys, guardedFile, leaks, mockedClientClasses, restore } from './file-isolation';

// test/support/file-isolation.ts is jest.config.js's setupFilesAfterEnv: these tests check that its per-file hooks
// run under jest-light-runner, and that each leak it watches is named and then undone by restore().
describe('file isolation between test files sharing a process', () => {
  afterEach(() => restore());

  test('the per-file hook ran for this file, and the file started from the baseline', () => {
    expect(guardedFile()).toBe(__filename);
    expect(leaks()).toEqual([]);
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

  test('changedKeys compares values by identity, over the keys of both objects', () => {
    const shared = {};
    expect(changedKeys({ a: 1, b: shared, c: 3 }, { a: 1, b: shared, d: 4 })).toEqual(['c', 'd']);
    expect(changedKeys({ b: {} }, { b: {} })).toEqual(['b']);
  });
});
