import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { PHI_STORE_METADATA } from '../../constructs/core';
import {
  Acknowledgement,
  applyAcknowledgements,
  buildRegister,
  PHI_REPLICA_BOOTSTRAP_ACKNOWLEDGEMENTS,
} from '../../lib/compliance/register';
import { applyCompliance, compliancePacks } from '../../lib/compliance/apply-compliance';
import { buildBlueprint } from '../../lib/blueprint-app';
import { phiReplicaBucketName, validateConfig } from '../../lib/config';
import { PhiReplicaBootstrapStage } from '../../lib/phi-replica-bootstrap-stage';
import { PhiReplicaStack } from '../../lib/stacks/phi-replica-stack';
import { testConfig } from '../support/blueprint';
import { buildDataTier } from '../support/data-tier';
import { synthesizedStack, synthesizedTemplate } from '../support/synthesized';
import { scratchDir } from '../support/scratch';

const config = testConfig('dev');
const tier = buildDataTier(config);
const stack = tier.phiReplica;
const template = Template.fromStack(stack);
const replicaBucketId = stack.getLogicalId(stack.replicaBucket.bucket.node.defaultChild as CfnResource);
const join = (...parts: unknown[]): object => ({ 'Fn::Join': ['', parts] });

/**
 * Findings of every pack on `stack`, after applying `register` to its whole app. The packs walk `stack` only: a rule
 * sees its resource's own stack either way, so these are the whole app's findings on `stack`.
 */
function findings(stack: Stack, register: readonly Acknowledgement[]): string[] {
  applyAcknowledgements(stack.node.root, register);
  return compliancePacks().flatMap((pack) =>
    pack
      .validateScope(stack)
      .violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} @ ${r.constructPath}`)),
  );
}

const marked = (c: { node: { metadata: Array<{ type: string }> } }): boolean =>
  c.node.metadata.some((m) => m.type === PHI_STORE_METADATA);

describe('PhiReplicaStack', () => {
  it('deploys to the replica region of the same account, after the data stack, with termination protection', () => {
    expect([stack.account, stack.region]).toEqual(['123456789012', 'us-west-2']);
    expect(stack.stackName).toBe('hipaa-dev-phi-replica');
    expect(stack.terminationProtection).toBe(true);
    expect(stack.dependencies).toContain(tier.data);
  });

  it('makes no cross-region reference (names only): no imports, no stack outputs of another stack', () => {
    const text = JSON.stringify(template.toJSON());
    expect(text).not.toContain('Fn::ImportValue');
    expect(text).not.toContain('Fn::GetStackOutput');
    expect(text).not.toContain('Custom::CrossRegion');
  });

  it('E1 the replica key: rotation, 30-day window, retained, used only through S3 and Backup in the replica region', () => {
    template.hasResource('AWS::KMS::Key', {
      Properties: Match.objectLike({
        EnableKeyRotation: true,
        PendingWindowInDays: 30,
        KeyPolicy: Match.objectLike({
          Statement: Match.arrayWith([
            Match.objectLike({
              Sid: 'KeyAdministrationByNamedRoles',
              Condition: {
                ArnEquals: {
                  'aws:PrincipalArn': [
                    'arn:aws:iam::123456789012:role/cdk-hnb659fds-cfn-exec-role-123456789012-us-west-2',
                  ],
                },
              },
            }),
            Match.objectLike({
              Sid: 'UseThroughS3ByNamedPrincipals',
              Condition: {
                StringEquals: { 'kms:CallerAccount': '123456789012', 'kms:ViaService': 's3.us-west-2.amazonaws.com' },
                // E1: the two replication roles and AWS Backup, no one else (lib/config/principals.ts).
                ArnEquals: {
                  'aws:PrincipalArn': [
                    'arn:aws:iam::123456789012:role/hipaa-dev-phi-data-replication',
                    'arn:aws:iam::123456789012:role/hipaa-dev-phi-replica-replication',
                    'arn:aws:iam::123456789012:role/hipaa-dev-phi-backup',
                  ],
                },
              },
            }),
            Match.objectLike({
              Sid: 'UseThroughBackupByNamedPrincipals',
              Condition: {
                StringEquals: {
                  'kms:CallerAccount': '123456789012',
                  'kms:ViaService': 'backup.us-west-2.amazonaws.com',
                },
                ArnEquals: { 'aws:PrincipalArn': ['arn:aws:iam::123456789012:role/hipaa-dev-phi-backup'] },
              },
            }),
          ]),
        }),
      }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/hipaa-dev/phi-replica' });
  });

  it('E2 the replica bucket: exact name, SSE-KMS with the replica key and bucket keys, versioned, public access blocked', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: phiReplicaBucketName(config),
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: {
                'Fn::GetAtt': [stack.getLogicalId(stack.replicaKey.node.defaultChild as CfnResource), 'Arn'],
              },
            },
            BucketKeyEnabled: true,
          },
        ],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    expect(phiReplicaBucketName(config)).toBe('hipaa-dev-phi-replica-123456789012-us-west-2');
  });

  it('I1 the replica bucket replicates back to the PHI bucket with the PHI key alias (two-way, replica modifications)', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: phiReplicaBucketName(config),
      ReplicationConfiguration: {
        Role: Match.anyValue(),
        Rules: [
          {
            Id: 'ReplicateTo-us-east-1',
            Status: 'Enabled',
            Priority: 1,
            Filter: { Prefix: '' },
            DeleteMarkerReplication: { Status: 'Disabled' },
            SourceSelectionCriteria: {
              SseKmsEncryptedObjects: { Status: 'Enabled' },
              ReplicaModifications: { Status: 'Enabled' },
            },
            Destination: {
              Bucket: join(
                'arn:',
                { Ref: 'AWS::Partition' },
                ':s3:::hipaa-dev-phi-data-',
                { Ref: 'AWS::AccountId' },
                '-us-east-1',
              ),
              EncryptionConfiguration: {
                ReplicaKmsKeyID: join(
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':kms:us-east-1:',
                  { Ref: 'AWS::AccountId' },
                  ':alias/hipaa-dev/phi',
                ),
              },
            },
          },
        ],
      },
    });
  });

  it('A3 the replication role policy is scoped to the two buckets and the two PHI keys, customer-managed', () => {
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({
            Action: ['s3:GetReplicationConfiguration', 's3:ListBucket'],
            Resource: { 'Fn::GetAtt': [replicaBucketId, 'Arn'] },
          }),
          Match.objectLike({
            Action: ['s3:GetObjectVersionAcl', 's3:GetObjectVersionForReplication', 's3:GetObjectVersionTagging'],
            Resource: join({ 'Fn::GetAtt': [replicaBucketId, 'Arn'] }, '/*'),
          }),
          Match.objectLike({
            Action: ['s3:ReplicateDelete', 's3:ReplicateObject', 's3:ReplicateTags'],
            Resource: join(
              'arn:',
              { Ref: 'AWS::Partition' },
              ':s3:::hipaa-dev-phi-data-',
              { Ref: 'AWS::AccountId' },
              '-us-east-1/*',
            ),
          }),
          Match.objectLike({
            Action: 'kms:Decrypt',
            Condition: { StringEquals: { 'kms:ViaService': 's3.us-west-2.amazonaws.com' } },
          }),
          Match.objectLike({
            Action: 'kms:Encrypt',
            Resource: join('arn:', { Ref: 'AWS::Partition' }, ':kms:us-east-1:', { Ref: 'AWS::AccountId' }, ':key/*'),
            Condition: {
              StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' },
              'ForAnyValue:StringEquals': { 'kms:ResourceAliases': ['alias/hipaa-dev/phi'] },
            },
          }),
        ],
      },
      Roles: [{ Ref: Match.stringLikeRegexp('PhiReplicaBucketReplicationRole') }],
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 's3.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
          }),
        ],
      },
    });
  });

  it('U3 the replica bucket logs server access to the replica region log bucket', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: phiReplicaBucketName(config),
      LoggingConfiguration: {
        DestinationBucketName: { Ref: stack.getLogicalId(stack.accessLogs.bucket.node.defaultChild as CfnResource) },
        LogFilePrefix: 'phi-replica/',
      },
    });
  });

  it('I2 every bucket and the key are retained on deletion and replacement', () => {
    for (const type of ['AWS::S3::Bucket', 'AWS::KMS::Key']) {
      const found = template.findResources(type);
      expect(Object.keys(found).length).toBeGreaterThan(0);
      for (const [id, r] of Object.entries(found)) {
        expect([id, r.DeletionPolicy, r.UpdateReplacePolicy]).toEqual([id, 'Retain', 'Retain']);
      }
    }
  });

  it('I2 logical IDs of the replica bucket, its key and its log bucket are pinned', () => {
    expect(replicaBucketId).toBe('PhiReplicaBucket33690446');
    expect(stack.getLogicalId(stack.replicaKey.node.defaultChild as CfnResource)).toBe('PhiReplicaKey42A03296');
    expect(stack.getLogicalId(stack.accessLogs.bucket.node.defaultChild as CfnResource)).toBe(
      'AccessLogsBucketCD784A59',
    );
  });

  it('E2 the replica bucket denies object writes only when an encryption header is present and wrong (header-less writes, e.g. Backup restores, get the bucket default)', () => {
    const [policy] = Object.values(
      template.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: replicaBucketId } } }),
    );
    const denies = (policy.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>).filter(
      (s) => typeof s.Sid === 'string' && s.Sid.startsWith('DenyObjectWrites'),
    );
    const keyArn = { 'Fn::GetAtt': [stack.getLogicalId(stack.replicaKey.node.defaultChild as CfnResource), 'Arn'] };
    expect(denies.map((s) => [s.Sid, s.Action, s.Condition])).toEqual([
      [
        'DenyObjectWritesNotSseKms',
        's3:PutObject',
        {
          Null: { 's3:x-amz-server-side-encryption': 'false' },
          StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' },
        },
      ],
      [
        'DenyObjectWritesWithAnotherKey',
        's3:PutObject',
        {
          Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'false' },
          StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': keyArn },
        },
      ],
      [
        'DenyObjectWritesSseKmsWithoutKeyId',
        's3:PutObject',
        {
          StringEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' },
          Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'true' },
        },
      ],
      [
        'DenyObjectWritesSseC',
        's3:PutObject',
        { Null: { 's3:x-amz-server-side-encryption-customer-algorithm': 'false' } },
      ],
    ]);
  });

  it('the replica bucket is a PHI store (construct and bucket)', () => {
    expect(marked(stack.replicaBucket)).toBe(true);
    expect(marked(stack.replicaBucket.bucket.node.defaultChild as CfnResource)).toBe(true);
  });

  it('snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });
});

describe('PhiReplicaStack compliance', () => {
  it('no findings on the replica stack, and no entry touches the replica bucket or the PHI bucket', () => {
    expect(findings(stack, buildRegister(config))).toEqual([]);
    const prodConfig = testConfig('prod');
    expect(findings(buildDataTier(prodConfig).phiReplica, buildRegister(prodConfig))).toEqual([]);
    // What each entry matches in the same tree (applying the register again matches the same constructs).
    for (const m of applyAcknowledgements(tier.app, buildRegister(config))) {
      for (const p of m.paths) expect(p).not.toMatch(/\/(Data\/PhiBucket|PhiReplica\/PhiReplicaBucket)(\/|$)/);
    }
  });

  it('the bootstrap entry refuses to apply in normal mode (the replica bucket is a PHI store)', () => {
    expect(() => applyAcknowledgements(buildDataTier(config).app, PHI_REPLICA_BOOTSTRAP_ACKNOWLEDGEMENTS)).toThrow(
      /matches Dev\/PhiReplica\/PhiReplicaBucket\/Bucket\/Resource, which holds a PHI store/,
    );
  });
});

describe('first deploy: phiReplicaBootstrap', () => {
  const app = new App({ builtinCloudFormationValidation: false });
  const boot = new PhiReplicaBootstrapStage(app, 'Dev', { config }).phiReplica;
  const bootTemplate = Template.fromStack(boot);

  it('buildBlueprint in bootstrap mode builds only the replica stack, same id and stack name as in the stage', () => {
    // What bin builds with `-c phiReplicaBootstrap=true`.
    const built = new App({ builtinCloudFormationValidation: false });
    const stage = buildBlueprint(built, validateConfig(config), { compliance: false, phiReplicaBootstrap: true });
    const stacks = built.node.findAll().filter((c): c is PhiReplicaStack => c instanceof PhiReplicaStack);
    expect(stacks.map((s) => [s.node.path, s.stackName, s.region])).toEqual([
      ['Dev/PhiReplica', 'hipaa-dev-phi-replica', 'us-west-2'],
    ]);
    expect(stage).toBeInstanceOf(PhiReplicaBootstrapStage);
    const allStacks = built.node.findAll().filter((c) => c.constructor.name.endsWith('Stack'));
    expect(allStacks).toHaveLength(1);
    // Normal mode: the same stack, at the same path, under the same name.
    expect([stack.node.path, stack.stackName]).toEqual(['Dev/PhiReplica', 'hipaa-dev-phi-replica']);
  });

  it('the replica bucket is created without replication, with its pinned logical ID, not a PHI store, and unwritable', () => {
    const [bucket] = Object.values(
      bootTemplate.findResources('AWS::S3::Bucket', { Properties: { BucketName: phiReplicaBucketName(config) } }),
    );
    expect(bucket.Properties.ReplicationConfiguration).toBeUndefined();
    expect(boot.getLogicalId(boot.replicaBucket.bucket.node.defaultChild as CfnResource)).toBe(
      'PhiReplicaBucket33690446',
    );
    expect(boot.node.findAll().some(marked)).toBe(false);
    bootTemplate.resourceCountIs('AWS::IAM::Role', 0);
    bootTemplate.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'DenyObjectWritesUntilReplicationIsConfigured',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: ['s3:PutObject', 's3:ReplicateObject', 's3:RestoreObject'],
          }),
        ]),
      },
    });
  });

  it('the bootstrap register entry clears exactly S3BucketReplicationEnabled on the replica bucket, only in bootstrap mode', () => {
    const boot2 = new App({ builtinCloudFormationValidation: false });
    const boot2Stack = new PhiReplicaBootstrapStage(boot2, 'Dev', { config }).phiReplica;
    const without = new App({ builtinCloudFormationValidation: false });
    const withoutStack = new PhiReplicaBootstrapStage(without, 'Dev', { config }).phiReplica;
    expect(findings(withoutStack, buildRegister(config)).sort()).toEqual([
      'HIPAA.Security-S3BucketReplicationEnabled @ Dev/PhiReplica/PhiReplicaBucket/Bucket/Resource',
      'NIST.800.53.R5-S3BucketReplicationEnabled @ Dev/PhiReplica/PhiReplicaBucket/Bucket/Resource',
    ]);
    expect(findings(boot2Stack, buildRegister(config, { phiReplicaBootstrap: true }))).toEqual([]);
    const matches = applyAcknowledgements(boot2, PHI_REPLICA_BOOTSTRAP_ACKNOWLEDGEMENTS);
    expect(matches.map((m) => m.paths)).toEqual([['Dev/PhiReplica/PhiReplicaBucket/Bucket/Resource']]);
    expect(PHI_REPLICA_BOOTSTRAP_ACKNOWLEDGEMENTS.map((e) => e.ruleIds)).toEqual([
      ['HIPAA.Security-S3BucketReplicationEnabled', 'NIST.800.53.R5-S3BucketReplicationEnabled'],
    ]);
    // Normal mode: the main register holds no entry on either PHI bucket.
    expect(buildRegister(config).some((e) => /PhiReplicaBucket\/Bucket|PhiBucket\/Bucket/.test(e.path))).toBe(false);
  });

  it('applyCompliance applies the bootstrap entry only when told: bootstrap synth passes, the same app without the option fails', () => {
    const ok = new App({ builtinCloudFormationValidation: false, outdir: scratchDir('boot-ok-') });
    buildBlueprint(ok, validateConfig(config), { phiReplicaBootstrap: true });
    expect(() => ok.synth()).not.toThrow();
    const bad = new App({
      builtinCloudFormationValidation: false,
      outdir: scratchDir('boot-bad-'),
    });
    new PhiReplicaBootstrapStage(bad, 'Dev', { config });
    applyCompliance(bad, { register: buildRegister(config) });
    expect(() => bad.synth()).toThrow();
  });

  it('bootstrap and normal mode (HipaaStage) tag the replica stack the same', () => {
    // Normal mode: dev as the globalSetup synthesized it (HipaaStage with testConfig('dev'), this file's config).
    const tags = (t: Template): unknown => Object.values(t.findResources('AWS::KMS::Key'))[0].Properties.Tags;
    expect(tags(bootTemplate)).toEqual(tags(synthesizedTemplate('dev', PhiReplicaStack.ID)));
    expect(tags(bootTemplate)).toEqual(expect.arrayContaining([{ Key: 'DataClassification', Value: 'PHI' }]));
    // The stage's stack dependency, as the cloud assembly manifest gives it to `cdk deploy`.
    expect(synthesizedStack('dev', PhiReplicaStack.ID).dependencies).toContain('Data');
  });
});
