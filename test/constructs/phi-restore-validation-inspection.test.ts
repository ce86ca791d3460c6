import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { SecurityGroup, SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import { Key } from 'aws-cdk-lib/aws-kms';
import {
  PHI_KEY_ARN_ENV,
  PhiRestoreValidation,
  RESTORED_BUCKET_INSPECTION_ACTIONS,
  RESTORED_DATABASE_INSPECTION_ACTIONS,
} from '../../constructs/phi-restore-validation';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

function build(s3PrefixListId?: string): { template: Template; stack: Stack } {
  const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'S', {
    env: { account: '123456789012', region: 'us-east-1' },
  });
  const vpc = new Vpc(stack, 'Vpc', {
    natGateways: 0,
    restrictDefaultSecurityGroup: false,
    subnetConfiguration: [{ name: 'Application', subnetType: SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
  });
  new PhiRestoreValidation(stack, 'RestoreValidation', {
    resourceTypes: ['RDS', 'S3'],
    recoveryTimeObjectiveHours: 24,
    restoreTestingPlanArn: 'arn:aws:backup:us-east-1:123456789012:restore-testing-plan:p-0001',
    encryptionKey: new Key(stack, 'OpsKey'),
    vpc,
    vpcSubnets: { subnetGroupName: 'Application' },
    retention: { logRetentionDays: 2192, auditRetentionDays: 2557, auditLockMode: 'COMPLIANCE' },
    alarmAction: { bind: () => ({ alarmActionArn: 'arn:aws:lambda:us-east-1:123456789012:function:alert-formatter' }) },
    phiKey: new Key(stack, 'PhiKey'),
    restoreSubnetGroupName: 'restore-subnet-group',
    restoreSecurityGroup: new SecurityGroup(stack, 'RestoreSg', { vpc }),
    s3PrefixListId,
  });
  return { template: Template.fromStack(stack), stack };
}

const { template: TEMPLATE } = build();
const logicalIdStartingWith = (t: Template, type: string, prefix: string): string =>
  Object.keys(t.findResources(type)).find((id) => id.startsWith(prefix))!;
const environment = (t: Template): Record<string, Json> =>
  (Object.values(t.findResources('AWS::Lambda::Function')) as Json[])[0].Properties.Environment.Variables;
const inspectionStatements = (t: Template): Json[] =>
  (Object.values(t.findResources('AWS::IAM::ManagedPolicy')) as Json[])
    .filter((p) => /inspect the configuration of restored test copies/.test(p.Properties.Description))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);

describe('PhiRestoreValidation: inspection of the restored copy', () => {
  test('I1 the function knows what the restored copy must keep: the PHI key, subnet group, security group', () => {
    const env = environment(TEMPLATE);
    expect(env[PHI_KEY_ARN_ENV]).toEqual({
      'Fn::GetAtt': [logicalIdStartingWith(TEMPLATE, 'AWS::KMS::Key', 'PhiKey'), 'Arn'],
    });
    expect(env.RESTORE_DB_SUBNET_GROUP).toBe('restore-subnet-group');
    expect(env.RESTORE_SECURITY_GROUP_ID).toEqual({
      'Fn::GetAtt': [logicalIdStartingWith(TEMPLATE, 'AWS::EC2::SecurityGroup', 'RestoreSg'), 'GroupId'],
    });
    // Not IAM database authentication: restore testing does not set it on a test copy (lambda/restore-validation).
    expect(env.EXPECT_IAM_DATABASE_AUTH).toBeUndefined();
  });

  test('I1 the function reaches S3 through the gateway endpoint (443 to S3 as well as to the VPC endpoints)', () => {
    const group = (t: Template): [string, Json] =>
      (Object.entries(t.findResources('AWS::EC2::SecurityGroup')) as [string, Json][]).find(([, g]) =>
        /^Restore validation/.test(g.Properties.GroupDescription),
      )!;
    const [, inline] = group(TEMPLATE);
    expect(inline.Properties.GroupDescription).toBe(
      'Restore validation: HTTPS to VPC interface endpoints and to S3 through the gateway endpoint only',
    );
    expect(inline.Properties.SecurityGroupEgress).toHaveLength(2);
    expect(inline.Properties.SecurityGroupEgress).toContainEqual(
      expect.objectContaining({ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443 }),
    );
    // With the region's S3 prefix list: that prefix list instead of 0.0.0.0/0 (a separate egress resource).
    const narrowed = build('pl-63a5400a').template;
    const [id, g] = group(narrowed);
    expect(g.Properties.SecurityGroupEgress.some((r: Json) => r.CidrIp === '0.0.0.0/0')).toBe(false);
    narrowed.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: { 'Fn::GetAtt': [id, 'GroupId'] },
      DestinationPrefixListId: 'pl-63a5400a',
      FromPort: 443,
      ToPort: 443,
    });
    expect(() => build('pl-bad')).toThrow(/s3PrefixListId = 'pl-bad': must be a managed prefix list ID/);
  });

  test("I1 the role may inspect only this account's restored test copies, by their AWS Backup prefix, and read no data", () => {
    const bySid = Object.fromEntries(inspectionStatements(TEMPLATE).map((s) => [s.Sid, s]));
    expect(Object.keys(bySid).sort()).toEqual([
      'InspectRestoredBuckets',
      'InspectRestoredDatabases',
      'InspectRestoredObjectHeaders',
    ]);
    expect(bySid.InspectRestoredDatabases.Action).toEqual([...RESTORED_DATABASE_INSPECTION_ACTIONS].sort());
    expect([...bySid.InspectRestoredDatabases.Resource].sort()).toEqual([
      'arn:aws:rds:us-east-1:123456789012:cluster:awsbackup-restore-test*',
      'arn:aws:rds:us-east-1:123456789012:db:awsbackup-restore-test*',
    ]);
    expect(bySid.InspectRestoredBuckets.Action).toEqual(
      RESTORED_BUCKET_INSPECTION_ACTIONS.filter((a) => a !== 's3:GetObject').sort(),
    );
    expect(bySid.InspectRestoredBuckets.Resource).toBe('arn:aws:s3:::awsbackup-restore-test*');
    expect(bySid.InspectRestoredBuckets.Condition).toEqual({ StringEquals: { 'aws:ResourceAccount': '123456789012' } });
    // HeadObject needs s3:GetObject: on the restored test copies' objects only, this account's.
    expect(bySid.InspectRestoredObjectHeaders.Action).toBe('s3:GetObject');
    expect(bySid.InspectRestoredObjectHeaders.Resource).toBe('arn:aws:s3:::awsbackup-restore-test*/*');
    expect(bySid.InspectRestoredObjectHeaders.Condition).toEqual({
      StringEquals: { 'aws:ResourceAccount': '123456789012' },
    });
    // No object body under the PHI key (the role's only KMS use is the operations key of its queue), no database
    // connection.
    const phiKey = logicalIdStartingWith(TEMPLATE, 'AWS::KMS::Key', 'PhiKey');
    const statements = (Object.values(TEMPLATE.findResources('AWS::IAM::ManagedPolicy')) as Json[]).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as Json[],
    );
    const actions = statements.flatMap((s) => [s.Action].flat());
    for (const forbidden of ['s3:GetObjectVersion', 'rds-db:connect', 's3:*', 'kms:*']) {
      expect(actions).not.toContain(forbidden);
    }
    const kms = statements.filter((s) => [s.Action].flat().some((a: string) => a.startsWith('kms:')));
    expect(kms.length).toBeGreaterThan(0);
    for (const s of kms) {
      expect(JSON.stringify(s.Resource)).not.toContain(phiKey);
      expect(s.Resource).not.toBe('*');
    }
  });

  test('I1 the inspection actions are the ones the handler calls', () => {
    // lambda/restore-validation/index.ts: DescribeDBInstances, DescribeDBClusters; GetBucketVersioning,
    // GetPublicAccessBlock (s3:GetBucketPublicAccessBlock), ListObjectsV2 (s3:ListBucket), HeadObject (s3:GetObject).
    expect([...RESTORED_DATABASE_INSPECTION_ACTIONS, ...RESTORED_BUCKET_INSPECTION_ACTIONS].sort()).toEqual([
      'rds:DescribeDBClusters',
      'rds:DescribeDBInstances',
      's3:GetBucketPublicAccessBlock',
      's3:GetBucketVersioning',
      's3:GetObject',
      's3:ListBucket',
    ]);
  });
});
