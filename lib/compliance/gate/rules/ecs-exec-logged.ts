import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { cfnAbsent, cfnBoolean, isIntrinsic, isObject, localAttribute, localTarget } from '../core/template-json';
import { arnAccountOf, stringForms } from '../core/string-forms';
import { stackEnvironmentOf, viewOf } from './template-view';

/**
 * U3 E2: every ECS Exec session in the account's clusters leaves an encrypted transcript, and no service opens one
 * where that is not so. An ECS cluster (AWS::ECS::Cluster) states its ExecuteCommandConfiguration: Logging OVERRIDE
 * (DEFAULT sends output to the task's own awslogs configuration, which may be none, and NONE records nothing), to a
 * log group of its own template by Ref (its retention and encryption judged there; a literal name may be a group
 * nobody keeps), CloudWatchEncryptionEnabled true, and a KmsKeyId encrypting the session data between the operator and
 * the container. A service (AWS::ECS::Service) with EnableExecuteCommand true (or a value only deploy resolves) runs in
 * a cluster of its template, by Ref or GetAtt: a service without Cluster runs in the account's `default` cluster, and
 * one naming another cluster in one no rule judges. A cluster's configuration that is an intrinsic in whole is a finding.
 */
export function EcsExecLogged(node: CfnResource): NagRuleResult {
  const type = node.cfnResourceType;
  if (type !== 'AWS::ECS::Cluster' && type !== 'AWS::ECS::Service') return NagRuleCompliance.NOT_APPLICABLE;
  const { resource, stack } = viewOf(node);
  const properties = resource.Properties ?? {};
  const findings: string[] = [];
  if (type === 'AWS::ECS::Service') {
    const exec = properties.EnableExecuteCommand;
    if (cfnAbsent(exec) || cfnBoolean(exec) === false) return NagRuleCompliance.COMPLIANT;
    const cluster = localTarget(properties.Cluster);
    const isCluster = cluster !== undefined && stack.template.Resources?.[cluster]?.Type === 'AWS::ECS::Cluster';
    return isCluster ? NagRuleCompliance.COMPLIANT : ['Cluster::not-of-template'];
  }
  const configuration = properties.Configuration;
  const exec =
    isObject(configuration) && !isIntrinsic(configuration) ? configuration.ExecuteCommandConfiguration : undefined;
  if (!isObject(exec) || isIntrinsic(exec)) return ['ExecuteCommandConfiguration::absent'];
  if (exec.Logging !== 'OVERRIDE')
    findings.push(`Logging::${typeof exec.Logging === 'string' ? exec.Logging : 'not-OVERRIDE'}`);
  const log = isObject(exec.LogConfiguration) && !isIntrinsic(exec.LogConfiguration) ? exec.LogConfiguration : {};
  const group = localTarget(log.CloudWatchLogGroupName);
  if (
    group === undefined ||
    localAttribute(log.CloudWatchLogGroupName) !== 'Ref' ||
    stack.template.Resources?.[group]?.Type !== 'AWS::Logs::LogGroup'
  ) {
    findings.push('CloudWatchLogGroupName::not-a-log-group-of-template');
  }
  if (cfnBoolean(log.CloudWatchEncryptionEnabled) !== true) findings.push('CloudWatchEncryptionEnabled::not-true');
  // The S3 copy of the transcripts, when set: a bucket of the template (by Ref), encrypted. A literal name may be
  // another account's bucket (the attacker review of 2026-12-04, second round: a foreign bucket, unencrypted, passed).
  if (!cfnAbsent(log.S3BucketName)) {
    const bucket = localTarget(log.S3BucketName);
    if (
      bucket === undefined ||
      localAttribute(log.S3BucketName) !== 'Ref' ||
      stack.template.Resources?.[bucket]?.Type !== 'AWS::S3::Bucket'
    ) {
      findings.push('S3BucketName::not-a-bucket-of-template');
    }
    if (cfnBoolean(log.S3EncryptionEnabled) !== true) findings.push('S3EncryptionEnabled::not-true');
  }
  if (cfnAbsent(exec.KmsKeyId)) findings.push('KmsKeyId::absent');
  else {
    // A key of another account encrypts the sessions: its owner decrypts them.
    const account = stackEnvironmentOf(node).account;
    const named = stringForms(exec.KmsKeyId, stack.template).forms.map((f) => arnAccountOf(f, account));
    if (account !== undefined && named.some((n) => n !== undefined && /^\d{12}$/.test(n) && n !== account)) {
      findings.push('KmsKeyId::another-account');
    }
  }
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}
