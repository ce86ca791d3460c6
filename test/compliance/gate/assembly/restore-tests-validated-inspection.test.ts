import { RestoreTestsValidated } from '../../../../lib/compliance/gate/assembly/restore-tests-validated';
import { asAssembly, findingsOf, fixtureTemplates, Mutable, PHI_BUCKET } from './assembly-fixture';

const data = (t: Record<string, Mutable>) => t.data.Resources;
const variables = (t: Record<string, Mutable>) => data(t).RestoreValidationFunction.Properties.Environment.Variables;
const statements = (t: Record<string, Mutable>): Mutable[] =>
  data(t).RestoreValidationInspectionPolicy.Properties.PolicyDocument.Statement;
const gso = (output: string) => ({ 'Fn::GetStackOutput': { StackName: 'app-prod-keys', OutputName: output } });

describe('RestoreTestsValidated: the validation inspects the restored copy', () => {
  test('I1 a function with the PHI key and the inspection reads passes; wildcards that cover them pass too', () => {
    expect(findingsOf(RestoreTestsValidated)).toEqual([]);
    expect(
      findingsOf(RestoreTestsValidated, (t) => {
        statements(t)[0].Action = 'rds:Describe*';
        statements(t)[1].Action = ['s3:Get*', 's3:List*'];
      }),
    ).toEqual([]);
  });

  test.each<[string, (t: Record<string, Mutable>) => void, string[]]>([
    [
      'no PHI key ARN in the environment',
      (t) => delete variables(t).PHI_KEY_ARN,
      ['[RestoreValidationFunction::no-phi-key] RestoreValidationFunction'],
    ],
    [
      'a literal key ARN outside the assembly',
      (t) => (variables(t).PHI_KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555'),
      ['[RestoreValidationFunction::no-phi-key] RestoreValidationFunction'],
    ],
    [
      'the backup key instead of the PHI key',
      (t) => (variables(t).PHI_KEY_ARN = gso('BackupKeyArn')),
      ['[RestoreValidationFunction::not-the-phi-key] RestoreValidationFunction'],
    ],
    [
      'the backup key instead of the PHI key, the database s DBClusterIdentifier AWS::NoValue (no cluster)',
      (t) => {
        variables(t).PHI_KEY_ARN = gso('BackupKeyArn');
        data(t).Db.Properties.DBClusterIdentifier = { Ref: 'AWS::NoValue' };
      },
      ['[RestoreValidationFunction::not-the-phi-key] RestoreValidationFunction'],
    ],
    [
      'no RDS inspection permission',
      (t) => statements(t).splice(0, 1),
      ['[RestoreValidationFunction::no-inspection-permissions] RestoreValidationFunction'],
    ],
    [
      'no S3 listing (the emptiness check)',
      (t) => (statements(t)[1].Action = statements(t)[1].Action.filter((a: string) => a !== 's3:ListBucket')),
      ['[RestoreValidationFunction::no-inspection-permissions] RestoreValidationFunction'],
    ],
    [
      'no object header read (the restored objects encryption check)',
      (t) => statements(t).splice(2, 1),
      ['[RestoreValidationFunction::no-inspection-permissions] RestoreValidationFunction'],
    ],
    [
      'the inspection statements denied instead of allowed',
      (t) => statements(t).forEach((s) => (s.Effect = 'Deny')),
      ['[RestoreValidationFunction::no-inspection-permissions] RestoreValidationFunction'],
    ],
    [
      'the inspection policy attached to another role',
      (t) => (data(t).RestoreValidationInspectionPolicy.Properties.Roles = [{ Ref: 'SomeOtherRole' }]),
      ['[RestoreValidationFunction::no-inspection-permissions] RestoreValidationFunction'],
    ],
  ])('I1 %s is a finding', (_name, mutate, expected) => {
    expect(findingsOf(RestoreTestsValidated, mutate)).toEqual(expected);
  });

  test('I1 the missing permission is named', () => {
    const t = fixtureTemplates();
    statements(t)[1].Action = statements(t)[1].Action.filter((a: string) => a !== 's3:ListBucket');
    const { findings } = RestoreTestsValidated.check(asAssembly(t), { phiBucketNames: [PHI_BUCKET] });
    expect(findings.map((f) => f.description).join('\n')).toContain('is not allowed s3:ListBucket:');
  });
});
