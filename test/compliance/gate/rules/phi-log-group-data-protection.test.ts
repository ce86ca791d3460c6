import { PHI_LOG_DATA_IDENTIFIERS } from '../../../../constructs/phi-log-group';
import { findingsOf, KEY_ARN, RETAIN, template } from './rule-fixtures';

const ids = (names: readonly string[]) => names.map((n) => `arn:aws:dataprotection::aws:data-identifier/${n}`);
const ALL = PHI_LOG_DATA_IDENTIFIERS.map((d) => d.name);
const policy = (masked: readonly string[], audit = true) => ({
  Name: 'phi-masking',
  Version: '2021-06-01',
  Statement: [
    ...(audit ? [{ Sid: 'audit', DataIdentifier: ids(ALL), Operation: { Audit: { FindingsDestination: {} } } }] : []),
    ...(masked.length > 0
      ? [{ Sid: 'redact', DataIdentifier: ids(masked), Operation: { Deidentify: { MaskConfig: {} } } }]
      : []),
  ],
});
const group = (props: Record<string, unknown>, metadata?: Record<string, unknown>) => ({
  Type: 'AWS::Logs::LogGroup',
  ...RETAIN,
  ...(metadata ? { Metadata: metadata } : {}),
  Properties: { RetentionInDays: 2192, KmsKeyId: KEY_ARN, ...props },
});
const MARKED = { 'HipaaBlueprint::PhiLogGroup': true };

describe('PhiLogGroupDataProtection', () => {
  test('U4 a marked log group that audits and masks every PHI identifier passes; an unmarked one is not checked', () => {
    const t = template({
      Logs: group({ DataProtectionPolicy: policy(ALL) }, MARKED),
      Flow: group({}),
    });
    expect(findingsOf('PhiLogGroupDataProtection', t)).toEqual([]);
  });

  test.each([
    [
      'a marked log group without a policy',
      template({ Logs: group({}, MARKED) }),
      ['[DataProtectionPolicy::none] Logs'],
    ],
    [
      'a policy that audits but does not mask',
      template({ Logs: group({ DataProtectionPolicy: policy([]) }, MARKED) }),
      ['[DataProtectionPolicy::no-mask] Logs'],
    ],
    [
      'a policy that masks without auditing',
      template({ Logs: group({ DataProtectionPolicy: policy(ALL, false) }, MARKED) }),
      ['[DataProtectionPolicy::no-audit] Logs'],
    ],
    [
      'a policy that no longer masks social security numbers',
      template({ Logs: group({ DataProtectionPolicy: policy(ALL.filter((n) => n !== 'Ssn-US')) }, MARKED) }),
      ['[DataProtectionPolicy::not-masked-Ssn-US] Logs'],
    ],
    [
      'an RDS export log group (by name) without a policy, marker removed',
      template({ Logs: group({ LogGroupName: '/aws/rds/instance/db/postgresql' }) }),
      ['[DataProtectionPolicy::none] Logs'],
    ],
    [
      'a WAF log group (by name) without a policy',
      template({ Logs: group({ LogGroupName: 'aws-waf-logs-app' }) }),
      ['[DataProtectionPolicy::none] Logs'],
    ],
    [
      'a container log group (found through the task definition) without a policy, marker removed',
      template({
        Logs: group({}),
        Task: {
          Type: 'AWS::ECS::TaskDefinition',
          Properties: {
            RequiresCompatibilities: ['FARGATE'],
            NetworkMode: 'awsvpc',
            Cpu: '256',
            Memory: '512',
            ContainerDefinitions: [
              {
                Name: 'api',
                Image: 'example/api:1',
                LogConfiguration: { LogDriver: 'awslogs', Options: { 'awslogs-group': { Ref: 'Logs' } } },
              },
            ],
          },
        },
      }),
      ['[DataProtectionPolicy::none] Logs'],
    ],
    [
      'a Session Manager transcript log group (found through the preferences document) without a policy',
      template({
        Logs: group({}),
        Preferences: {
          Type: 'AWS::SSM::Document',
          Properties: {
            DocumentType: 'Session',
            Content: {
              schemaVersion: '1.0',
              sessionType: 'Standard_Stream',
              inputs: { cloudWatchLogGroupName: { Ref: 'Logs' } },
            },
          },
        },
      }),
      ['[DataProtectionPolicy::none] Logs'],
    ],
  ])('U4 %s is a finding', (_name, t, expected) => {
    expect(findingsOf('PhiLogGroupDataProtection', t)).toEqual(expected);
  });
});
