/**
 * What the critical findings age check's role may do, evaluated by the IAM policy simulator
 * (@cloud-copilot/iam-simulate) on the synthesized policies and through the interface endpoint policies.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import { SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import { Key } from 'aws-cdk-lib/aws-kms';
import { CriticalFindingsAgeCheck } from '../../constructs/critical-findings-age-check';
import { interfaceEndpointStatements } from '../../constructs/interface-endpoint-policies';
import { Decision, PolicyDocument, simulate } from '../support/iam-simulation';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const ACCOUNT = '123456789012';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/critical-findings-age`;
const HUB = `arn:aws:securityhub:us-east-1:${ACCOUNT}:hub/default`;

/**
 * The region for Ref AWS::Region, joins joined, and stand-in ARNs for the construct's own queue, log group and key
 * (none is a Security Hub or CloudWatch resource).
 */
function standIns(value: Json): Json {
  if (Array.isArray(value)) return value.map(standIns);
  if (value === null || typeof value !== 'object') return value;
  if (value.Ref === 'AWS::Region') return 'us-east-1';
  if (value['Fn::Join'] !== undefined) return (standIns(value['Fn::Join'][1]) as string[]).join(value['Fn::Join'][0]);
  if (value['Fn::GetAtt'] !== undefined) {
    return `arn:aws:sqs:us-east-1:${ACCOUNT}:${String(value['Fn::GetAtt'][0]).toLowerCase()}`;
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, standIns(v)]));
}

const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'S', {
  env: { account: ACCOUNT, region: 'us-east-1' },
});
const action: IAlarmAction = { bind: () => ({ alarmActionArn: 'arn:aws:lambda:us-east-1:123456789012:function:f' }) };
new CriticalFindingsAgeCheck(stack, 'FindingsAge', {
  maxAgeDays: 15,
  encryptionKey: new Key(stack, 'OpsKey'),
  vpc: new Vpc(stack, 'Vpc', {
    natGateways: 0,
    restrictDefaultSecurityGroup: false,
    subnetConfiguration: [{ name: 'Application', subnetType: SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
  }),
  vpcSubnets: { subnetGroupName: 'Application' },
  retention: { logRetentionDays: 2192, auditRetentionDays: 2557, auditLockMode: 'COMPLIANCE' },
  alarmAction: action,
});
const POLICIES: PolicyDocument[] = Object.values(
  Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy') as Record<string, Json>,
).map((p) => standIns(p.Properties.PolicyDocument));
const endpointPolicy = (endpoint: string): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: interfaceEndpointStatements(endpoint, ACCOUNT).map((s) => stack.resolve(s.toStatementJson())),
});

const asRole = (
  actionName: string,
  resource: string,
  options: { endpoint?: string; context?: Record<string, string> } = {},
): Promise<Decision> =>
  simulate({
    principal: ROLE,
    action: actionName,
    resource,
    resourceAccount: ACCOUNT,
    identityPolicies: POLICIES,
    ...(options.endpoint ? { endpointPolicies: [endpointPolicy(options.endpoint)] } : {}),
    // What AWS adds for a request on a resource of an account (the endpoint policies read it).
    context: {
      ...(resource === '*' ? {} : { 'aws:ResourceAccount': resource.split(':')[4]! }),
      ...options.context,
    },
  });

describe('CriticalFindingsAgeCheck role (simulated)', () => {
  test('V2 D2 reads the findings of this region hub through the securityhub endpoint', async () => {
    expect(await asRole('securityhub:GetFindings', HUB, { endpoint: 'securityhub' })).toBe('Allowed');
  });

  test('D2 reads no other hub and changes nothing in Security Hub', async () => {
    expect(await asRole('securityhub:GetFindings', `arn:aws:securityhub:us-west-2:${ACCOUNT}:hub/default`)).toBe(
      'ImplicitlyDenied',
    );
    for (const write of [
      'securityhub:BatchUpdateFindings',
      'securityhub:UpdateFindings',
      'securityhub:DisableSecurityHub',
    ]) {
      expect([write, await asRole(write, HUB)]).toEqual([write, 'ImplicitlyDenied']);
    }
    const product = `arn:aws:securityhub:us-east-1:${ACCOUNT}:product/${ACCOUNT}/default`;
    expect(await asRole('securityhub:BatchImportFindings', product)).toBe('ImplicitlyDenied');
  });

  test('V2 D2 publishes its count in its namespace only, through the monitoring endpoint', async () => {
    const put = (namespace: string) =>
      asRole('cloudwatch:PutMetricData', '*', {
        endpoint: 'monitoring',
        context: { 'cloudwatch:namespace': namespace },
      });
    expect(await put('HipaaBlueprint/Findings')).toBe('Allowed');
    expect(await put('HipaaBlueprint/AccessAudit')).toBe('ImplicitlyDenied');
    expect(await put('AWS/Lambda')).toBe('ImplicitlyDenied');
  });
});
