/**
 * PhiBucketReplication.addSource: one replication role carries more buckets of its stack to the same destination
 * (the audit archive's role replicates the access-audit bucket and the findings archive too, I2).
 */
import { App, Aws, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { PhiBucketReplication } from '../../constructs/phi-bucket-replication';
import { fixtureStack } from '../support/construct-fixtures';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const DESTINATION = {
  destinationBucketName: `app-env-audit-replica-${Aws.ACCOUNT_ID}-us-west-2`,
  destinationRegion: 'us-west-2',
  destinationKeyAliasArn: `arn:${Aws.PARTITION}:kms:us-west-2:${Aws.ACCOUNT_ID}:alias/app-env/audit-replica`,
};

function build() {
  const stack = fixtureStack();
  const key = new Key(stack, 'AuditKey');
  const archive = new Bucket(stack, 'Archive');
  const events = new Bucket(stack, 'Events');
  const findings = new Bucket(stack, 'Findings');
  const replication = new PhiBucketReplication(stack, 'Replication', {
    ...DESTINATION,
    source: archive,
    sourceKey: key,
    objectLock: true,
    purpose: 'the audit archive',
  });
  return { stack, key, archive, events, findings, replication };
}

const statement = (template: Template, sid: string): Json =>
  Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
    .flatMap((p: Json) => p.Properties.PolicyDocument.Statement)
    .find((s: Json) => s.Sid === sid);
const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
const objectsOf = (id: string) => ({ 'Fn::Join': ['', [arnOf(id), '/*']] });

describe('PhiBucketReplication.addSource', () => {
  const { stack, key, archive, events, findings, replication } = build();
  const eventsConfig = replication.addSource(events, key);
  const findingsConfig = replication.addSource(findings, key);
  const template = Template.fromStack(stack);
  const ids = {
    archive: stack.getLogicalId(archive.node.defaultChild as never),
    events: stack.getLogicalId(events.node.defaultChild as never),
    findings: stack.getLogicalId(findings.node.defaultChild as never),
  };

  test('I2 every source replicates through the one role to the one destination under the destination key', () => {
    expect(eventsConfig).toBe(replication.configuration);
    expect(findingsConfig).toBe(replication.configuration);
    expect(Object.keys(template.findResources('AWS::IAM::Role'))).toHaveLength(1);
    expect(Object.keys(template.findResources('AWS::IAM::ManagedPolicy'))).toHaveLength(1);
  });

  test('I2 A3 the role reads each source bucket and its object versions, with retention and legal hold', () => {
    expect(statement(template, 'ReadSourceReplicationConfiguration').Resource).toEqual([
      arnOf(ids.archive),
      arnOf(ids.events),
      arnOf(ids.findings),
    ]);
    const objects = statement(template, 'ReadSourceObjectVersions');
    expect(objects.Resource).toEqual([objectsOf(ids.archive), objectsOf(ids.events), objectsOf(ids.findings)]);
    expect(objects.Action).toEqual(expect.arrayContaining(['s3:GetObjectRetention', 's3:GetObjectLegalHold']));
  });

  test('A3 the shared source key is named once in the decrypt statement; the destination grants do not widen', () => {
    const decrypt = statement(template, 'DecryptWithSourceKeyThroughS3');
    expect(decrypt.Resource).toEqual(arnOf(stack.getLogicalId(key.node.defaultChild as never)));
    expect(JSON.stringify(statement(template, 'ReplicateToDestination').Resource)).toContain('app-env-audit-replica-');
  });

  test('a second source key joins the decrypt statement', () => {
    const b = build();
    const other = new Key(b.stack, 'OtherKey');
    b.replication.addSource(b.events, other);
    const decrypt = statement(Template.fromStack(b.stack), 'DecryptWithSourceKeyThroughS3');
    expect(decrypt.Resource).toHaveLength(2);
  });

  test('the policy description counts the sources', () => {
    const [policy] = Object.values(template.findResources('AWS::IAM::ManagedPolicy')) as Json[];
    expect(policy.Properties.Description).toBe(
      'S3 replication of the audit archive and 2 more object-locked buckets to us-west-2: scoped to the 3 sources, the destination and their keys',
    );
  });

  test('rejects a bucket of another stack and a bucket added twice', () => {
    const b = build();
    const elsewhere = new Bucket(new Stack(new App(), 'Other', { env: { region: 'us-east-1' } }), 'B');
    expect(() => b.replication.addSource(elsewhere, b.key)).toThrow(
      /PhiBucketReplication .*Replication: addSource\(Other\/B\): must be a bucket of stack/,
    );
    b.replication.addSource(b.events, b.key);
    expect(() => b.replication.addSource(b.events, b.key)).toThrow(/addSource\(.*Events\): already a source/);
    expect(() => b.replication.addSource(b.archive, b.key)).toThrow(/already a source/);
  });
});
