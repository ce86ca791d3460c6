import { CfnResource } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CustomDataIdentifier, DataIdentifier, LogGroup } from 'aws-cdk-lib/aws-logs';
import { taggedSafeguards } from '../../constructs/core';
import { PHI_LOG_DATA_IDENTIFIERS, PhiLogGroup, phiDataProtectionPolicy } from '../../constructs/phi-log-group';
import { fixtureStack, importedKey, KEY_ARN, RETENTION } from '../support/construct-fixtures';

type Statement = { DataIdentifier: unknown[]; Operation: Record<string, { FindingsDestination?: unknown }> };

const stack = fixtureStack();
const phiLogs = new PhiLogGroup(stack, 'AppLogs', { encryptionKey: importedKey(stack), retention: RETENTION });
const template = Template.fromStack(stack);
const idOf = (group: LogGroup): string => stack.getLogicalId(group.node.defaultChild as CfnResource);
const policyOf = (t: Template, group: string): { Name: string; Statement: Statement[] } =>
  t.toJSON().Resources[group].Properties.DataProtectionPolicy;

describe('PhiLogGroup', () => {
  it('E2 U3 I2 two log groups (the workload logs and the masking findings): the given key, six years, retained', () => {
    template.resourceCountIs('AWS::Logs::LogGroup', 2);
    template.allResources('AWS::Logs::LogGroup', {
      Properties: Match.objectLike({ KmsKeyId: KEY_ARN, RetentionInDays: 2192 }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('U4 the workload log group audits and masks every PHI_LOG_DATA_IDENTIFIERS identifier, findings to its own group', () => {
    const policy = policyOf(template, idOf(phiLogs.logGroup));
    expect(policy.Name).toBe('phi-masking');
    expect(policy.Statement.map((s) => Object.keys(s.Operation))).toEqual([['Audit'], ['Deidentify']]);
    for (const statement of policy.Statement) {
      expect(statement.DataIdentifier).toHaveLength(PHI_LOG_DATA_IDENTIFIERS.length);
      for (const id of PHI_LOG_DATA_IDENTIFIERS) {
        expect(JSON.stringify(statement.DataIdentifier)).toContain(`data-identifier/${id.name}"`);
      }
    }
    expect(policy.Statement[0].Operation.Audit.FindingsDestination).toEqual({
      CloudWatchLogs: { LogGroup: { Ref: idOf(phiLogs.findingsLogGroup) } },
    });
    // The findings group (which identifier, where; never the value) has no policy of its own.
    expect(template.toJSON().Resources[idOf(phiLogs.findingsLogGroup)].Properties.DataProtectionPolicy).toBeUndefined();
  });

  it('U4 the managed identifiers cover the HIPAA identity and health identifiers CloudWatch Logs offers, each once', () => {
    const names = PHI_LOG_DATA_IDENTIFIERS.map((d) => d.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(
      expect.arrayContaining([
        'Name',
        'Address',
        'EmailAddress',
        'PhoneNumber-US',
        'Ssn-US',
        'HealthInsuranceClaimNumber-US',
        'MedicareBeneficiaryNumber-US',
        'NationalProviderId-US',
        'DrugEnforcementAgencyNumber-US',
      ]),
    );
  });

  it('U4 additionalIdentifiers are masked in addition to the managed ones, never instead', () => {
    const s = fixtureStack();
    const mrn = new CustomDataIdentifier('MedicalRecordNumber', 'MRN-[0-9]{8}');
    const custom = new PhiLogGroup(s, 'AppLogs', {
      encryptionKey: importedKey(s),
      retention: RETENTION,
      additionalIdentifiers: [mrn],
    });
    const policy = policyOf(Template.fromStack(s), s.getLogicalId(custom.logGroup.node.defaultChild as CfnResource));
    const text = JSON.stringify(policy);
    expect(text).toContain('MedicalRecordNumber');
    expect(text).toContain('MRN-[0-9]{8}');
    expect(policy.Statement[1].DataIdentifier).toHaveLength(PHI_LOG_DATA_IDENTIFIERS.length + 1);
  });

  it('U4 phiDataProtectionPolicy (also used by the database log groups) sends findings to the given group', () => {
    const s = fixtureStack();
    const findings = new LogGroup(s, 'Findings');
    new LogGroup(s, 'Logs', { dataProtectionPolicy: phiDataProtectionPolicy(findings, [DataIdentifier.IPADDRESS]) });
    const [, logs] = Object.entries(Template.fromStack(s).findResources('AWS::Logs::LogGroup')).find(([id]) =>
      id.startsWith('Logs'),
    )!;
    expect(logs.Properties.DataProtectionPolicy.Name).toBe('phi-masking');
    expect(logs.Properties.DataProtectionPolicy.Statement[0].Operation.Audit.FindingsDestination).toEqual({
      CloudWatchLogs: { LogGroup: { Ref: s.getLogicalId(findings.node.defaultChild as CfnResource) } },
    });
  });

  it('V2 every resource of a PhiLogGroup carries the safeguards U3, U4 and E2', () => {
    for (const group of [phiLogs.logGroup, phiLogs.findingsLogGroup]) {
      expect(taggedSafeguards(group.node.defaultChild as CfnResource)).toEqual(
        expect.arrayContaining(['U3', 'U4', 'E2']),
      );
    }
  });

  it('U3 refuses a retention below six years (EncryptedLogGroup), naming the field and value', () => {
    const s = fixtureStack();
    expect(
      () =>
        new PhiLogGroup(s, 'Short', {
          encryptionKey: importedKey(s),
          retention: { ...RETENTION, logRetentionDays: 365 },
        }),
    ).toThrow(/retention.logRetentionDays = 365: must be at least 2192 days/);
  });
});
