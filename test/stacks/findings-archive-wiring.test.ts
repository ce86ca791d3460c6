/**
 * The findings archive (D2) as the stage wires it: the audit stack holds the archive, the detection stack's GuardDuty
 * publishing destination points into it with the audit key, the audit key admits GuardDuty and the archive's roles,
 * the inventory lists it with its six-year lock; config detection.findingsArchive false removes every part.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { buildTestBlueprint, testConfig } from '../support/blueprint';
import { evidenceJson, templateJson } from '../support/synthesized';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const ofType = (template: { Resources?: Record<string, Json> }, type: string): [string, Json][] =>
  Object.entries(template.Resources ?? {}).filter(([, r]) => r.Type === type);
const auditKeyPolicy = (keys: { Resources?: Record<string, Json> }): string =>
  JSON.stringify(ofType(keys, 'AWS::KMS::Key').find(([id]) => id.startsWith('AuditKey'))![1].Properties.KeyPolicy);

describe('findings archive wiring', () => {
  test('D2 prod: GuardDuty publishes into the audit stack archive with the audit key', () => {
    const [[, destination]] = ofType(templateJson('prod', 'Detection'), 'AWS::GuardDuty::PublishingDestination');
    const target = JSON.stringify(destination.Properties.DestinationProperties);
    expect(target).toMatch(/"StackName":"hipaa-prod-audit".*FindingsArchiveBucket[0-9A-F]+Arn/);
    expect(target).toMatch(/"StackName":"hipaa-prod-keys".*AuditKey/);
    expect(ofType(templateJson('prod', 'Audit'), 'AWS::S3::Bucket').map(([id]) => id)).toContain(
      'FindingsArchiveBucket1881D842',
    );
  });

  test('D2 E1 prod: the audit key admits GuardDuty exports and the archive roles by name', () => {
    const policy = auditKeyPolicy(templateJson('prod', 'Keys'));
    expect(policy).toContain('GuardDutyEncryptsExportedFindingsOfThisAccount');
    expect(policy).toContain('role/hipaa-prod-findings-archive-delivery');
    expect(policy).toContain('role/hipaa-prod-findings-archive-export');
  });

  test('D2 V2 the inventory lists the archive with its six-year COMPLIANCE lock under the audit key', () => {
    const { assets } = evidenceJson<{ assets: Json[] }>('prod', 'inventory.json');
    const archive = assets.find((a) => a.constructPath === 'Prod/Audit/FindingsArchive/Bucket/Resource');
    expect(archive).toMatchObject({
      stack: 'Prod/Audit',
      type: 'AWS::S3::Bucket',
      encryption: { status: 'customer-managed-key' },
      deletionPolicy: 'Retain',
    });
    expect(archive.retention).toContain('Object Lock COMPLIANCE 2192 days (default retention)');
    expect(archive.encryption.summary).toContain('alias/hipaa-prod/audit');
    expect(archive.safeguards).toContain('D2');
  });

  test('D2 detection.findingsArchive false: no archive, no publishing destination, nothing of it on the audit key', () => {
    const config = testConfig('prod', {
      detection: { findingsArchive: false, providedBy: 'the organization log archive account' },
    });
    const { stage } = buildTestBlueprint(config);
    const detection = Template.fromStack(stage.detection!);
    detection.resourceCountIs('AWS::GuardDuty::PublishingDestination', 0);
    detection.resourceCountIs('AWS::GuardDuty::Detector', 1);
    const audit = Template.fromStack(stage.audit).toJSON();
    expect(JSON.stringify(audit)).not.toContain('FindingsArchive');
    expect(Template.fromStack(stage.detection!).toJSON().Metadata.HipaaBlueprint.detection).toMatchObject({
      findingsArchive: false,
      providedBy: 'the organization log archive account',
    });
    const policy = auditKeyPolicy(Template.fromStack(stage.keys).toJSON());
    expect(policy).not.toContain('guardduty');
    expect(policy).not.toContain('findings-archive');
  });
});
