import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Vpc } from 'aws-cdk-lib/aws-ec2';
import { Key } from 'aws-cdk-lib/aws-kms';
import { RetentionPolicy } from '../../constructs/core/retention';
import { PhiCluster } from '../../constructs/phi-cluster';

const RETENTION: RetentionPolicy = { logRetentionDays: 2192, auditRetentionDays: 2192, auditLockMode: 'COMPLIANCE' };

describe('PhiCluster', () => {
  test('E2 the Fargate ephemeral storage key is its key id in a plain property (no Fn::Split over another stack s output)', () => {
    const app = new App({ builtinCloudFormationValidation: false });
    const env = { account: '123456789012', region: 'us-east-1' };
    const keys = new Stack(app, 'Keys', { env });
    const phiKey = new Key(keys, 'Phi');
    const opsKey = new Key(keys, 'Ops');
    const s = new Stack(app, 'App', { env });
    new PhiCluster(s, 'Cluster', {
      vpc: new Vpc(s, 'Vpc'),
      key: opsKey,
      ephemeralStorageKey: phiKey,
      retention: RETENTION,
      clusterName: 'app-prod-phi',
    });
    const cluster = Object.values(Template.fromStack(s).findResources('AWS::ECS::Cluster'))[0]!;
    const id = cluster.Properties.Configuration.ManagedStorageConfiguration.FargateEphemeralStorageKmsKeyId;
    expect(JSON.stringify(id)).not.toContain('Fn::Split');
    // The key's Ref (its id) from the keys stack, as a cross-stack reference.
    expect(JSON.stringify(id)).toMatch(/Ref|Fn::ImportValue|Fn::GetStackOutput/);
  });
});
