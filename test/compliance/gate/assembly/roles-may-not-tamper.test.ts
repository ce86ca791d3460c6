import { ASSEMBLY_RULES } from '../../../../lib/compliance/gate/assembly';
import { RolesMayNotTamper, TAMPER_ACTIONS } from '../../../../lib/compliance/gate/assembly/roles-may-not-tamper';
import { findingsOf, Mutable, PHI_BUCKET } from './assembly-fixture';

/** A role of the data stack (a custom resource's function's, say) with one policy statement. */
const roleAllowed =
  (statement: Mutable, stack = 'data') =>
  (t: Record<string, Mutable>): void => {
    t[stack].Resources.HelperRole = {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        },
        Policies: [{ PolicyName: 'p', PolicyDocument: { Statement: [statement] } }],
      },
    };
  };
const FINDING = ['[HelperRole::may-tamper] HelperRole'];

/** GuardDuty Malware Protection's role, as PhiMalwareProtection writes its policy, named by the fixture's plan. */
const malwareRole =
  (extra: Mutable[] = []) =>
  (t: Record<string, Mutable>): void => {
    t.detection.Resources.MalwareRole = {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: 'app-prod-phi-malware-scan',
        AssumeRolePolicyDocument: {
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'malware-protection-plan.guardduty.amazonaws.com' },
              Action: 'sts:AssumeRole',
            },
          ],
        },
      },
    };
    t.detection.Resources.MalwarePolicy = {
      Type: 'AWS::IAM::ManagedPolicy',
      Properties: {
        Roles: [{ Ref: 'MalwareRole' }],
        PolicyDocument: {
          Statement: [
            {
              Effect: 'Allow',
              Action: ['events:PutRule', 'events:DeleteRule', 'events:PutTargets', 'events:RemoveTargets'],
              Resource: 'arn:aws:events:us-east-1:123456789012:rule/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*',
            },
            {
              Effect: 'Allow',
              Action: ['s3:PutBucketNotification', 's3:GetBucketNotification'],
              Resource: `arn:aws:s3:::${PHI_BUCKET}`,
            },
            ...extra,
          ],
        },
      },
    };
  };

describe('Blueprint-RolesMayNotTamper', () => {
  test('U6 A3 is an assembly rule over the tamper watch list', () => {
    expect(ASSEMBLY_RULES).toContain(RolesMayNotTamper);
    expect(RolesMayNotTamper.safeguards).toEqual(['U6', 'A3']);
    expect(TAMPER_ACTIONS).toEqual(
      expect.arrayContaining([
        'rds:ModifyDBInstance',
        'cloudtrail:StopLogging',
        'cloudwatch:DeleteAlarms',
        'lambda:UpdateFunctionCode',
      ]),
    );
  });

  test("U6 A3 roles allowed other actions pass, and so does GuardDuty Malware Protection's role with what its plan needs", () => {
    expect(findingsOf(RolesMayNotTamper)).toEqual([]);
    expect(
      findingsOf(
        RolesMayNotTamper,
        roleAllowed({ Effect: 'Allow', Action: ['rds:DescribeDBInstances'], Resource: '*' }),
      ),
    ).toEqual([]);
    expect(findingsOf(RolesMayNotTamper, roleAllowed({ Effect: 'Deny', Action: 'rds:*', Resource: '*' }))).toEqual([]);
    expect(findingsOf(RolesMayNotTamper, malwareRole())).toEqual([]);
  });

  test.each<[string, Mutable]>([
    [
      'rds:ModifyDBInstance on the PHI database (backups or deletion protection off at deploy)',
      { Action: 'rds:ModifyDBInstance' },
    ],
    ['every RDS action', { Action: 'rds:*' }],
    ['everything', { Action: '*' }],
    ['everything but a read (NotAction)', { NotAction: 's3:GetObject' }],
    ["the trail's StopLogging", { Action: 'cloudtrail:StopLogging' }],
    [
      "CloudWatch's DeleteAlarms (IAM's cloudwatch prefix for the monitoring event source)",
      { Action: 'cloudwatch:DeleteAlarms' },
    ],
    ['a wildcard over key deletion', { Action: 'kms:Schedule*' }],
    ["a function's code replaced", { Action: 'lambda:UpdateFunctionCode' }],
  ])('U6 A3 a role of the templates allowed %s is a finding', (_name, statement) => {
    expect(findingsOf(RolesMayNotTamper, roleAllowed({ Effect: 'Allow', Resource: '*', ...statement }))).toEqual(
      FINDING,
    );
  });

  test("U6 A3 GuardDuty Malware Protection's role allowed more than its plan needs is a finding", () => {
    const MALWARE = ['[MalwareRole::may-tamper] MalwareRole'];
    expect(
      findingsOf(RolesMayNotTamper, malwareRole([{ Effect: 'Allow', Action: 's3:PutBucketPolicy', Resource: '*' }])),
    ).toEqual(MALWARE);
    expect(
      findingsOf(RolesMayNotTamper, malwareRole([{ Effect: 'Allow', Action: 'events:DeleteRule', Resource: '*' }])),
    ).toEqual(MALWARE);
    expect(
      findingsOf(
        RolesMayNotTamper,
        malwareRole([
          { Effect: 'Allow', Action: 's3:PutBucketNotification', Resource: `arn:aws:s3:::${PHI_BUCKET}/*` },
        ]),
      ),
    ).toEqual(MALWARE);
    // The same statements on a role no plan runs as: not exempt.
    expect(
      findingsOf(RolesMayNotTamper, (t) => {
        malwareRole()(t);
        t.detection.Resources.MalwarePlan.Properties.Role = 'arn:aws:iam::123456789012:role/other';
      }),
    ).toEqual(MALWARE);
  });
});
