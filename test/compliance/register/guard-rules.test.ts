import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { markPhiStore } from '../../../constructs/core';
import {
  applyAcknowledgements,
  GUARD_RULES_BY_NAG_RULE,
  guardRulesFor,
  UNMAPPED_NAG_RULES,
} from '../../../lib/compliance/register';
import { buildRegister } from '../../../lib/compliance/register';
import { loadConfig } from '../../../lib/config';

describe('Guard suppressions written from the register', () => {
  test('V2 HIPAA and NIST rule ids map to the Guard HIPAA Security rule names; AwsSolutions rules have none', () => {
    expect(
      guardRulesFor([
        'HIPAA.Security-S3BucketReplicationEnabled',
        'NIST.800.53.R5-S3BucketReplicationEnabled',
        'NIST.800.53.R5-LambdaDLQ',
        'AwsSolutions-IAM5[Resource::*]',
      ]),
    ).toEqual(['LAMBDA_DLQ_CHECK', 'S3_BUCKET_REPLICATION_ENABLED']);
    expect(guardRulesFor(['AwsSolutions-EC23', 'AwsSolutions-VPC3'])).toEqual([]);
  });

  test('V2 every rule of the dev and prod registers is mapped or listed as unmapped', () => {
    const rules = ['dev', 'prod'].flatMap((env) =>
      buildRegister(loadConfig(env)).flatMap((e) => e.ruleIds.map((id) => id.replace(/\[.*$/, ''))),
    );
    const unknown = [...new Set(rules)].filter((id) => {
      const name = id.replace(/^(HIPAA\.Security|NIST\.800\.53\.R5)-/, '');
      return GUARD_RULES_BY_NAG_RULE[name] === undefined && !UNMAPPED_NAG_RULES.includes(id);
    });
    expect(unknown).toEqual([]);
  });

  test('V2 the register writes Metadata.guard.SuppressedRules on the resources it acknowledges, and refuses PHI stores', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    new CfnBucket(stack, 'Logs');
    const entry = {
      ruleIds: ['HIPAA.Security-S3BucketReplicationEnabled', 'AwsSolutions-S1'],
      path: 'S/Logs',
      reason: 'r',
      compensatingControl: 'c',
    };
    applyAcknowledgements(app, [entry]);
    Template.fromStack(stack).hasResource('AWS::S3::Bucket', {
      Metadata: { guard: { SuppressedRules: ['S3_BUCKET_REPLICATION_ENABLED'] } },
    });

    const phi = new App();
    markPhiStore(new CfnBucket(new Stack(phi, 'S'), 'Logs'));
    expect(() => applyAcknowledgements(phi, [entry])).toThrow(/holds a PHI store/);
  });
});
