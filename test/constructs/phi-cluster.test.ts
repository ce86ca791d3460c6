import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Vpc } from 'aws-cdk-lib/aws-ec2';
import { Key } from 'aws-cdk-lib/aws-kms';
import { PhiCluster, PhiClusterProps } from '../../constructs/phi-cluster';
import { PHI_LOG_DATA_IDENTIFIERS } from '../../constructs/phi-log-group';
import { fixtureStack, importedVpc, RETENTION } from '../support/construct-fixtures';

type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] };

// The cluster alone in its stack, with an operations key and a PHI key of that stack (to see that the
// cluster leaves their key policies alone) and the application tier of an imported VPC.
const stack = fixtureStack('App');
const operationsKey = new Key(stack, 'OperationsKey');
const phiKey = new Key(stack, 'PhiKey');
const props: PhiClusterProps = {
  vpc: importedVpc(stack),
  key: operationsKey,
  ephemeralStorageKey: phiKey,
  retention: RETENTION,
  clusterName: 'hipaa-dev-phi',
};
const cluster = new PhiCluster(stack, 'Cluster', props);
const template = Template.fromStack(stack);
const resources = template.toJSON().Resources as Record<string, Resource>;
const ofType = (rs: Record<string, Resource>, type: string): Array<[string, Resource]> =>
  Object.entries(rs).filter(([, r]) => r.Type === type);
const idOf = (c: { node: { defaultChild?: unknown } }): string =>
  stack.getLogicalId(c.node.defaultChild as CfnResource);
const keyPolicy = (key: Key): string => JSON.stringify(resources[idOf(key)].Properties.KeyPolicy);
/** The policy of the same key in a stack without the cluster. */
function untouchedKeyPolicy(id: string): string {
  const s = fixtureStack('App');
  const key = new Key(s, id);
  return JSON.stringify(
    Template.fromStack(s).toJSON().Resources[s.getLogicalId(key.node.defaultChild as CfnResource)].Properties.KeyPolicy,
  );
}

describe('PhiCluster', () => {
  it('U3 the Container Insights group exists before the cluster, encrypted and kept six years', () => {
    const [[id, group]] = ofType(resources, 'AWS::Logs::LogGroup').filter(
      ([, g]) =>
        (g as { Properties: { LogGroupName?: string } }).Properties.LogGroupName ===
        '/aws/ecs/containerinsights/hipaa-dev-phi/performance',
    );
    expect((group as { Properties: Record<string, unknown> }).Properties).toMatchObject({
      RetentionInDays: 2192,
      KmsKeyId: { 'Fn::GetAtt': [idOf(operationsKey), 'Arn'] },
    });
    const clusterResource = Object.values(template.findResources('AWS::ECS::Cluster'))[0] as { DependsOn?: string[] };
    expect(clusterResource.DependsOn).toContain(id);
  });

  it("E1 the tasks' Fargate ephemeral storage is encrypted with the PHI key (not an AWS-owned key)", () => {
    const clusters = Object.values(template.findResources('AWS::ECS::Cluster')) as Array<{
      Properties: { Configuration: { ManagedStorageConfiguration?: { FargateEphemeralStorageKmsKeyId?: unknown } } };
    }>;
    expect(clusters).toHaveLength(1);
    const keyId = clusters[0].Properties.Configuration.ManagedStorageConfiguration?.FargateEphemeralStorageKmsKeyId;
    // The key's own id (its Ref) in a plain property: no Fn::Split over an ARN.
    expect(keyId).toEqual({ Ref: idOf(phiKey) });
    // Referenced, not granted: CDK adds nothing to the key policy (KeysStack grants Fargate for this account).
    expect(keyPolicy(phiKey)).not.toMatch(/aws:ecs:clusterName|fargate/);
    expect(keyPolicy(phiKey)).toEqual(untouchedKeyPolicy('PhiKey'));
  });

  it('E2 from another stack, the Fargate ephemeral storage key is a plain cross-stack reference to its id (no Fn::Split)', () => {
    const app = new App({ builtinCloudFormationValidation: false });
    const env = { account: '123456789012', region: 'us-east-1' };
    const keys = new Stack(app, 'Keys', { env });
    const s = new Stack(app, 'App', { env });
    new PhiCluster(s, 'Cluster', {
      ...props,
      vpc: new Vpc(s, 'Vpc'),
      key: new Key(keys, 'Ops'),
      ephemeralStorageKey: new Key(keys, 'Phi'),
    });
    const other = Object.values(Template.fromStack(s).findResources('AWS::ECS::Cluster'))[0]!;
    const id = other.Properties.Configuration.ManagedStorageConfiguration.FargateEphemeralStorageKmsKeyId;
    expect(JSON.stringify(id)).not.toContain('Fn::Split');
    expect(JSON.stringify(id)).toMatch(/Fn::ImportValue|Fn::GetStackOutput/);
  });

  it('AwsSolutions-ECS4 the cluster has Container Insights (enhanced)', () => {
    template.hasResourceProperties('AWS::ECS::Cluster', {
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enhanced' }],
    });
  });

  it('U1 E2 U4 ECS Exec sessions, whenever a service enables them, are encrypted with the given key and logged (OVERRIDE) to an encrypted log group that masks PHI', () => {
    const execLogs = idOf(cluster.execLogGroup);
    template.hasResourceProperties('AWS::ECS::Cluster', {
      ClusterName: 'hipaa-dev-phi',
      Configuration: Match.objectLike({
        ExecuteCommandConfiguration: {
          KmsKeyId: { 'Fn::GetAtt': [idOf(operationsKey), 'Arn'] },
          Logging: 'OVERRIDE',
          LogConfiguration: { CloudWatchEncryptionEnabled: true, CloudWatchLogGroupName: { Ref: execLogs } },
        },
      }),
    });
    const execGroup = resources[execLogs].Properties;
    expect(execGroup).toMatchObject({
      RetentionInDays: 2192,
      KmsKeyId: { 'Fn::GetAtt': [idOf(operationsKey), 'Arn'] },
    });
    const masking = execGroup.DataProtectionPolicy as { Name: string; Statement: { DataIdentifier: unknown[] }[] };
    expect(masking.Name).toBe('phi-masking');
    expect(masking.Statement[1].DataIdentifier).toHaveLength(PHI_LOG_DATA_IDENTIFIERS.length);
  });

  it('E2 U3 I2 every log group of the cluster: the operations key, six years, retained', () => {
    // ECS Exec logs + their masking findings, and Container Insights performance events.
    expect(ofType(resources, 'AWS::Logs::LogGroup')).toHaveLength(3);
    template.allResources('AWS::Logs::LogGroup', {
      Properties: Match.objectLike({ KmsKeyId: { 'Fn::GetAtt': [idOf(operationsKey), 'Arn'] }, RetentionInDays: 2192 }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('Fargate only: no capacity provider associations, no instances', () => {
    for (const type of [
      'AWS::ECS::ClusterCapacityProviderAssociations',
      'AWS::ECS::CapacityProvider',
      'AWS::AutoScaling::AutoScalingGroup',
      'AWS::EC2::Instance',
    ]) {
      template.resourceCountIs(type, 0);
    }
  });

  it('refuses a cluster name that is not lower-case letters, digits and dashes, naming field and value', () => {
    const s = fixtureStack();
    const base = { ...props, vpc: importedVpc(s), key: new Key(s, 'K'), ephemeralStorageKey: new Key(s, 'P') };
    expect(() => new PhiCluster(s, 'Upper', { ...base, clusterName: 'PHI_Cluster' })).toThrow(
      "PhiCluster S/Upper: clusterName = 'PHI_Cluster': must be lower-case letters, digits and dashes",
    );
  });
});
