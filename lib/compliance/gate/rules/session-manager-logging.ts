import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { duplicateKeyOf } from '../core/json-text';
import {
  cfnAbsent,
  cfnBoolean,
  isIntrinsic,
  isObject,
  Json,
  localAttribute,
  localTarget,
  TemplateJson,
} from '../core/template-json';
import { viewOf } from './template-view';

/**
 * The content of a Session document as Systems Manager reads it: an object, or the same JSON in a string (parsed);
 * undefined when it cannot be read whole (not JSON, YAML, a key twice, an intrinsic in its place).
 */
export function sessionDocumentContent(content: unknown): Json | undefined {
  let value = content;
  if (typeof content === 'string') {
    try {
      value = JSON.parse(content) as unknown;
    } catch {
      return undefined;
    }
    if (duplicateKeyOf(content) !== undefined) return undefined;
  }
  return isObject(value) && !isIntrinsic(value) ? value : undefined;
}

/**
 * Why a Session Manager preferences document (a Session document of sessionType Standard_Stream, or one only deploy
 * resolves) may not record every session (empty when it does): the session transcripts stream to CloudWatch Logs
 * (cloudWatchStreamingEnabled true: false uploads a transcript only when the session ends cleanly), to an encrypted
 * log group (cloudWatchEncryptionEnabled true) that is a log group of the template, by Ref (its retention and
 * encryption are judged there; a literal name may be a group nobody keeps), the session data is encrypted with a
 * customer-managed key (kmsKeyId set), and sessions run as the ssm-user Session Manager creates, not an OS account
 * the document chooses (runAsEnabled not true). Content that cannot be read whole is a finding.
 */
export function sessionLoggingShortfalls(p: Json, template: TemplateJson): string[] | undefined {
  if (p.DocumentType !== 'Session' && !isIntrinsic(p.DocumentType)) return undefined;
  const content = sessionDocumentContent(p.Content);
  if (content === undefined) return ['Content::unreadable'];
  if (content.sessionType !== 'Standard_Stream' && typeof content.sessionType === 'string') return undefined;
  const inputs = isObject(content.inputs) && !isIntrinsic(content.inputs) ? content.inputs : undefined;
  if (inputs === undefined) return ['inputs::absent'];
  const problems: string[] = [];
  if (cfnBoolean(inputs.cloudWatchStreamingEnabled) !== true) problems.push('cloudWatchStreamingEnabled::off');
  if (cfnBoolean(inputs.cloudWatchEncryptionEnabled) !== true) problems.push('cloudWatchEncryptionEnabled::off');
  const group = localTarget(inputs.cloudWatchLogGroupName);
  if (
    group === undefined ||
    localAttribute(inputs.cloudWatchLogGroupName) !== 'Ref' ||
    template.Resources[group]?.Type !== 'AWS::Logs::LogGroup'
  ) {
    problems.push('cloudWatchLogGroupName::not-a-log-group-of-the-template');
  }
  if (cfnAbsent(inputs.kmsKeyId) || inputs.kmsKeyId === '') problems.push('kmsKeyId::none');
  if (cfnBoolean(inputs.runAsEnabled) !== false && !cfnAbsent(inputs.runAsEnabled)) problems.push('runAsEnabled::on');
  return problems;
}

/**
 * U3 E2: the Session Manager preferences record every session: transcripts streamed to an encrypted log group of the
 * template, session data under a customer-managed key, sessions as ssm-user (sessionLoggingShortfalls). The document
 * is the account's and region's: with logging off, any session an operator opens (an instance added later, a
 * hybrid node) leaves no transcript.
 */
export function SessionManagerLogging(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::SSM::Document') return NagRuleCompliance.NOT_APPLICABLE;
  const view = viewOf(node);
  const findings = sessionLoggingShortfalls(view.resource.Properties ?? {}, view.stack.template);
  if (findings === undefined) return NagRuleCompliance.NOT_APPLICABLE;
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}
