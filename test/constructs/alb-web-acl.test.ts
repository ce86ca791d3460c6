import { Template } from 'aws-cdk-lib/assertions';
import { AlbWebAcl, MANAGED_RULE_GROUPS } from '../../constructs/alb-web-acl';
import { appTierFixture, retention } from '../support/app-tier-fixture';
import { evaluateWithStackId, TEST_STACK_CREATE_ID } from '../support/stack-id';

const LB = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/x/1';

describe('AlbWebAcl', () => {
  const { stack, key } = appTierFixture();
  new AlbWebAcl(stack, 'Waf', {
    name: 'test-app',
    loadBalancerArn: LB,
    logsKey: key,
    retention,
    rateLimitPer5Minutes: 500,
  });
  const template = Template.fromStack(stack);

  it('E3 REGIONAL web ACL evaluates every AWS managed rule group (blocking) and a per-IP rate limit', () => {
    const [acl] = Object.values(template.findResources('AWS::WAFv2::WebACL')) as Array<{
      Properties: { Scope: string; DefaultAction: unknown; Rules: Array<Record<string, unknown>> };
    }>;
    expect(acl.Properties.Scope).toBe('REGIONAL');
    expect(acl.Properties.DefaultAction).toEqual({ Allow: {} });
    const managed = acl.Properties.Rules.filter((r) => JSON.stringify(r).includes('ManagedRuleGroupStatement'));
    expect(managed.map((r) => r.Name)).toEqual([...MANAGED_RULE_GROUPS]);
    for (const r of managed) expect(r.OverrideAction).toEqual({ None: {} });
    expect(acl.Properties.Rules).toContainEqual(
      expect.objectContaining({
        Action: { Block: {} },
        Statement: { RateBasedStatement: { AggregateKeyType: 'IP', EvaluationWindowSec: 300, Limit: 500 } },
      }),
    );
  });

  it('N2 is associated with the load balancer', () => {
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { ResourceArn: LB });
  });

  it('U3 U4 logs to aws-waf-logs-<name>-<stack create id> (KMS, six years, retained), redacting credentials and query strings', () => {
    // The WAF log group (the other one holds its data protection findings).
    const [logGroup] = Object.values(template.findResources('AWS::Logs::LogGroup')).filter(
      (g) => g.Properties.LogGroupName !== undefined,
    );
    expect(logGroup).toMatchObject({
      Properties: { RetentionInDays: 2192, KmsKeyId: expect.anything() },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    // Retained, so named per stack creation: a retried first create does not collide with a leftover group.
    expect(evaluateWithStackId(logGroup.Properties.LogGroupName)).toBe(`aws-waf-logs-test-app-${TEST_STACK_CREATE_ID}`);
    template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      RedactedFields: [
        { SingleHeader: { Name: 'authorization' } },
        { SingleHeader: { Name: 'cookie' } },
        { QueryString: {} },
      ],
    });
    const [logging] = Object.values(template.findResources('AWS::WAFv2::LoggingConfiguration'));
    // WAF rejects the ':*' suffix LogGroup.logGroupArn carries.
    expect(evaluateWithStackId(logging.Properties.LogDestinationConfigs)).toEqual([
      `arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-test-app-${TEST_STACK_CREATE_ID}`,
    ]);
  });

  it('U3 the log group admits vended log delivery from this account only', () => {
    const [policy] = Object.values(template.findResources('AWS::Logs::ResourcePolicy'));
    const doc = JSON.stringify(policy.Properties.PolicyDocument);
    expect(doc).toContain('delivery.logs.amazonaws.com');
    expect(doc).toContain('aws:SourceAccount');
    expect(JSON.stringify(evaluateWithStackId(policy.Properties.PolicyDocument))).toContain(
      `log-group:aws-waf-logs-test-app-${TEST_STACK_CREATE_ID}:log-stream:*`,
    );
  });

  it('refuses a bad web ACL name and rate limit', () => {
    const f = appTierFixture();
    const base = { loadBalancerArn: LB, logsKey: f.key, retention };
    expect(() => new AlbWebAcl(f.stack, 'A', { ...base, name: 'bad name' })).toThrow(/name = 'bad name'/);
    expect(() => new AlbWebAcl(f.stack, 'B', { ...base, name: 'ok', rateLimitPer5Minutes: 5 })).toThrow(
      /rateLimitPer5Minutes = 5/,
    );
    expect(() => new AlbWebAcl(f.stack, 'C', { ...base, name: 'ok', rateLimitPer5Minutes: 2001 })).toThrow(
      /rateLimitPer5Minutes = 2001: must be an integer from 10 to 2000/,
    );
  });
});
