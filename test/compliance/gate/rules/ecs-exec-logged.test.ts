import { PROJECT_RULES } from '../../../../lib/compliance/gate/blueprint-checks';
import { EcsExecLogged } from '../../../../lib/compliance/gate/rules/ecs-exec-logged';
import { checkTemplate } from '../../../../lib/compliance/gate/template-checker';
import { findingsOf, KEY_ARN, RETAIN, template } from './rule-fixtures';

/** The cluster's ExecuteCommandConfiguration as constructs/phi-cluster.ts writes it, with `changes` applied. */
const EXEC = {
  KmsKeyId: KEY_ARN,
  Logging: 'OVERRIDE',
  LogConfiguration: { CloudWatchEncryptionEnabled: true, CloudWatchLogGroupName: { Ref: 'ExecLogs' } },
};

/** A template with the exec log group, a cluster of `exec` (undefined: none) and a service of `service`. */
function clusterTemplate(exec: unknown, service: Record<string, unknown> = {}): unknown {
  return template({
    ExecLogs: { Type: 'AWS::Logs::LogGroup', ...RETAIN, Properties: { KmsKeyId: KEY_ARN, RetentionInDays: 2192 } },
    Cluster: {
      Type: 'AWS::ECS::Cluster',
      Properties: exec === undefined ? {} : { Configuration: { ExecuteCommandConfiguration: exec } },
    },
    Service: {
      Type: 'AWS::ECS::Service',
      Properties: {
        Cluster: { Ref: 'Cluster' },
        TaskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/t:1',
        ...service,
      },
    },
  });
}

const found = (t: unknown): string[] => findingsOf('EcsExecLogged', t, ['Blueprint']);

describe('EcsExecLogged', () => {
  test('U3 E2 is in PROJECT_RULES', () => {
    expect(PROJECT_RULES.find((r) => r.rule === EcsExecLogged)?.safeguards).toEqual(['U3', 'E2']);
  });

  test("U3 E2 the blueprint's cluster passes, and its service with ECS Exec off, on or absent in that cluster", () => {
    expect(found(clusterTemplate(EXEC))).toEqual([]);
    expect(found(clusterTemplate(EXEC, { EnableExecuteCommand: true }))).toEqual([]);
    expect(found(clusterTemplate(EXEC, { EnableExecuteCommand: 'false' }))).toEqual([]);
  });

  test('U3 E2 fires on a cluster that logs exec sessions nowhere, elsewhere, unencrypted or without a session key', () => {
    expect(found(clusterTemplate(undefined))).toEqual(['[ExecuteCommandConfiguration::absent] Cluster']);
    expect(found(clusterTemplate({ ...EXEC, Logging: 'NONE' }))).toEqual(['[Logging::NONE] Cluster']);
    expect(found(clusterTemplate({ ...EXEC, Logging: 'DEFAULT' }))).toEqual(['[Logging::DEFAULT] Cluster']);
    expect(
      found(clusterTemplate({ ...EXEC, LogConfiguration: { ...EXEC.LogConfiguration, CloudWatchLogGroupName: 'x' } })),
    ).toEqual(['[CloudWatchLogGroupName::not-a-log-group-of-template] Cluster']);
    expect(
      found(clusterTemplate({ ...EXEC, LogConfiguration: { CloudWatchLogGroupName: { Ref: 'ExecLogs' } } })),
    ).toEqual(['[CloudWatchEncryptionEnabled::not-true] Cluster']);
    const withoutKey: Record<string, unknown> = { ...EXEC };
    delete withoutKey.KmsKeyId;
    expect(found(clusterTemplate(withoutKey))).toEqual(['[KmsKeyId::absent] Cluster']);
  });

  test("U3 E2 fires on an S3 copy of the transcripts to a bucket not of the template or unencrypted, and on another account's key", () => {
    // The attacker review of 2026-12-04 (second round).
    const s3 = (log: Record<string, unknown>): unknown =>
      clusterTemplate({ ...EXEC, LogConfiguration: { ...EXEC.LogConfiguration, ...log } });
    expect(found(s3({ S3BucketName: 'someone-elses-bucket', S3EncryptionEnabled: false }))).toEqual([
      '[S3BucketName::not-a-bucket-of-template] Cluster',
      '[S3EncryptionEnabled::not-true] Cluster',
    ]);
    // Judged where the stack's account is known (an assembly, or a template checked with its environment).
    const withAccount = (t: unknown): string[] =>
      checkTemplate(t, 'exec', { packs: ['Blueprint'], environment: { account: '123456789012', region: 'us-east-1' } })
        .findings.filter((f) => f.ruleId.startsWith('Blueprint-EcsExecLogged'))
        .map((f) => f.ruleId.slice('Blueprint-EcsExecLogged'.length));
    expect(
      withAccount(clusterTemplate({ ...EXEC, KmsKeyId: KEY_ARN.replace('123456789012', '999999999999') })),
    ).toEqual(['[KmsKeyId::another-account]']);
    expect(withAccount(clusterTemplate(EXEC))).toEqual([]);
  });

  test("U3 E2 fires on a service with ECS Exec on (or unresolved) in the account's default cluster or one not of its template", () => {
    expect(found(clusterTemplate(EXEC, { EnableExecuteCommand: true, Cluster: undefined }))).toEqual([
      '[Cluster::not-of-template] Service',
    ]);
    expect(found(clusterTemplate(EXEC, { EnableExecuteCommand: true, Cluster: 'elsewhere' }))).toEqual([
      '[Cluster::not-of-template] Service',
    ]);
    const withCondition = (t: unknown): unknown => ({
      ...(t as object),
      Conditions: { C: { 'Fn::Equals': ['on', 'off'] } },
    });
    expect(
      found(
        withCondition(
          clusterTemplate(EXEC, {
            EnableExecuteCommand: { 'Fn::If': ['C', true, false] },
            Cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/other',
          }),
        ),
      ),
    ).toEqual(['[Cluster::not-of-template] Service']);
  });
});
