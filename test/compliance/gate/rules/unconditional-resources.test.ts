import { CfnCondition, Fn } from 'aws-cdk-lib';
import { CfnTrail } from 'aws-cdk-lib/aws-cloudtrail';
import { CfnTopic } from 'aws-cdk-lib/aws-sns';
import { checkTemplate } from '../../../../lib/compliance/gate/template-checker';
import { projectFindings as findings } from '../../../support/rule-fixtures';

describe('project rule UnconditionalResources (V2)', () => {
  it('V2 fires at synth on a resource a condition may leave out, and not on one without', () => {
    const out = findings((s) => {
      const never = new CfnCondition(s, 'Never', { expression: Fn.conditionEquals('a', 'b') });
      const trail = new CfnTrail(s, 'Trail', { isLogging: true, s3BucketName: 'logs' });
      trail.cfnOptions.condition = never;
      new CfnTopic(s, 'Topic');
    });
    expect(out).toContain('Blueprint-UnconditionalResources[Condition::Never]');
    expect(out.filter((f) => f.includes('UnconditionalResources'))).toHaveLength(1);
  });

  it('V2 check-template reports a Condition added by hand, whatever it names', () => {
    const template = (condition: unknown) => ({
      Conditions: { Never: { 'Fn::Equals': ['a', 'b'] } },
      Resources: { Topic: { Type: 'AWS::SNS::Topic', ...(condition === undefined ? {} : { Condition: condition }) } },
    });
    const ids = (condition: unknown) =>
      checkTemplate(template(condition))
        .findings.map((f) => f.ruleId)
        .filter((id) => id.includes('UnconditionalResources'));
    expect(ids('Never')).toEqual(['Blueprint-UnconditionalResources[Condition::Never]']);
    expect(ids(undefined)).toEqual([]);
  });
});
