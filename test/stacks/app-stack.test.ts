import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CfnUserPool } from 'aws-cdk-lib/aws-cognito';
import { CfnRepository } from 'aws-cdk-lib/aws-ecr';
import { CfnListener, CfnLoadBalancer } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { CfnLogGroup } from 'aws-cdk-lib/aws-logs';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { applyAcknowledgements, buildRegister } from '../../lib/compliance/register';
import { compliancePacks } from '../../lib/compliance/apply-compliance';
import { ALLOWED_TLS_POLICIES } from '../../constructs/core/tls-policies';
import { BlueprintConfig } from '../../lib/config';
import { AppStack } from '../../lib/stacks/app-stack';
import { buildTestBlueprint, testConfig } from '../support/blueprint';
import { evaluateWithStackId, TEST_STACK_CREATE_ID } from '../support/stack-id';

type Resources = Record<
  string,
  { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string }
>;

/** The whole environment as HipaaStage composes it; the app stack and its template. */
function buildAppTier(config: BlueprintConfig): {
  app: App;
  stack: AppStack;
  template: Template;
  config: BlueprintConfig;
} {
  const { app, stage } = buildTestBlueprint(config);
  return { app, stack: stage.app, template: Template.fromStack(stage.app), config };
}

/**
 * Findings of every pack on the app stack's resources, with the register applied to the whole app (as the gate runs
 * them). The packs walk the app stack only: a rule sees its resource's own stack either way (cdk-nag checks each
 * resource of the scope; the project rules render the resource's own stack), so these are the whole app's findings
 * on the app stack, without evaluating the other stacks.
 */
function appFindings({ app, stack, config }: { app: App; stack: AppStack; config: BlueprintConfig }): string[] {
  applyAcknowledgements(app, buildRegister(config));
  return compliancePacks()
    .flatMap((pack) => pack.validateScope(stack).violations)
    .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} @ ${r.constructPath}`));
}

const dev = buildAppTier(testConfig('dev'));
const prod = buildAppTier(testConfig('prod'));
/**
 * Dev with 10-minute sessions: its template for the A4 config test; the E3 gate test then breaks its constructs
 * (the template was read when it was built, so the order of the two tests does not matter).
 */
const shortSession = buildAppTier(testConfig('dev', { app: { sessionTimeoutMinutes: 10 } }));
const template = dev.template;
function ofType(type: string, t: Template = template): Array<[string, Resources[string]]> {
  return Object.entries(t.toJSON().Resources as Resources).filter(([, r]) => r.Type === type);
}

describe('AppStack', () => {
  it('E3 HTTPS listener on 443 uses an allow-listed TLS 1.3/1.2 policy and an ACM certificate', () => {
    const https = ofType('AWS::ElasticLoadBalancingV2::Listener').filter(([, l]) => l.Properties.Protocol === 'HTTPS');
    expect(https).toHaveLength(1);
    const [, listener] = https[0];
    expect(listener.Properties.Port).toBe(443);
    expect(ALLOWED_TLS_POLICIES).toContain(listener.Properties.SslPolicy);
    expect(listener.Properties.SslPolicy).toBe('ELBSecurityPolicy-TLS13-1-2-Res-2021-06');
    expect(listener.Properties.Certificates).toEqual([{ CertificateArn: expect.anything() }]);
    expect(listener.Properties.DefaultActions).toEqual([
      expect.objectContaining({
        Type: 'fixed-response',
        FixedResponseConfig: expect.objectContaining({ StatusCode: '404' }),
      }),
    ]);
  });

  it('E3 port 80 only redirects to HTTPS (permanent), and no listener rule hangs off it', () => {
    const http = ofType('AWS::ElasticLoadBalancingV2::Listener').filter(([, l]) => l.Properties.Protocol === 'HTTP');
    expect(http).toHaveLength(1);
    const [httpId, listener] = http[0];
    expect(listener.Properties.Port).toBe(80);
    expect(listener.Properties.DefaultActions).toEqual([
      { Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } },
    ]);
    for (const [, rule] of ofType('AWS::ElasticLoadBalancingV2::ListenerRule')) {
      expect(rule.Properties.ListenerArn).not.toEqual({ Ref: httpId });
    }
  });

  it('E3 end to end: every target group and health check is HTTPS on the container port', () => {
    const groups = ofType('AWS::ElasticLoadBalancingV2::TargetGroup');
    expect(groups).toHaveLength(testConfig('dev').services.length);
    for (const [, tg] of groups) {
      expect(tg.Properties).toMatchObject({
        Protocol: 'HTTPS',
        HealthCheckProtocol: 'HTTPS',
        Port: 8443,
        TargetType: 'ip',
      });
    }
    template.hasResourceProperties('AWS::ECS::Service', {
      LoadBalancers: [{ ContainerName: 'api', ContainerPort: 8443, TargetGroupArn: { Ref: groups[0][0] } }],
    });
  });

  it('E3 N2 load balancer: internet-facing in the public tier only, drops invalid headers, strictest desync mitigation', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internet-facing',
      Type: 'application',
      LoadBalancerAttributes: Match.arrayWith([
        { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
        { Key: 'routing.http.desync_mitigation_mode', Value: 'strictest' },
      ]),
    });
    const [, lb] = ofType('AWS::ElasticLoadBalancingV2::LoadBalancer')[0];
    const subnets = JSON.stringify(lb.Properties.Subnets);
    expect(subnets.match(/PhiVpcPublicSubnet\d/g)?.length).toBe(2);
    expect(subnets).not.toMatch(/Application|Data/);
  });

  it('I2 load balancer deletion protection is on (prod and dev)', () => {
    for (const t of [prod.template, dev.template]) {
      t.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        LoadBalancerAttributes: Match.arrayWith([{ Key: 'deletion_protection.enabled', Value: 'true' }]),
      });
    }
  });

  it('U3 access logs go to the SSE-S3 AccessLogBucket under alb/, whose own access logs go to the data tier', () => {
    const [bucketId, bucket] = ofType('AWS::S3::Bucket')[0];
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([
        { Key: 'access_logs.s3.enabled', Value: 'true' },
        { Key: 'access_logs.s3.bucket', Value: { Ref: bucketId } },
        { Key: 'access_logs.s3.prefix', Value: 'alb' },
      ]),
    });
    expect(JSON.stringify(bucket.Properties.BucketEncryption)).toContain('AES256');
    expect(bucket.Properties.LoggingConfiguration).toMatchObject({ LogFilePrefix: 'app-access-logs/' });
  });

  it('N2 load balancer security group: 443 and 80 in; out only to the tasks on their port and HTTPS to Cognito', () => {
    const [sgId, sg] = ofType('AWS::EC2::SecurityGroup').find(([id]) => id.startsWith('LoadBalancerSecurityGroup'))!;
    expect((sg.Properties.SecurityGroupIngress as Array<{ FromPort: number }>).map((r) => r.FromPort).sort()).toEqual([
      443, 80,
    ]);
    expect(sg.Properties.SecurityGroupEgress).toEqual([
      expect.objectContaining({ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443 }),
    ]);
    const egress = ofType('AWS::EC2::SecurityGroupEgress').filter(([, r]) =>
      JSON.stringify(r.Properties.GroupId).includes(sgId),
    );
    expect(egress.map(([, r]) => r.Properties)).toEqual([
      expect.objectContaining({ FromPort: 8443, ToPort: 8443, DestinationSecurityGroupId: expect.anything() }),
    ]);
    expect(JSON.stringify(egress[0][1].Properties.DestinationSecurityGroupId)).toContain('ApiServiceSecurityGroup');
  });

  it('E3 N2 WAF web ACL (REGIONAL) with the AWS managed rule groups and a rate limit, associated with the load balancer', () => {
    const [aclId, acl] = ofType('AWS::WAFv2::WebACL')[0];
    expect(acl.Properties.Scope).toBe('REGIONAL');
    const groups = (acl.Properties.Rules as Array<{ Statement: { ManagedRuleGroupStatement?: { Name: string } } }>)
      .map((r) => r.Statement.ManagedRuleGroupStatement?.Name)
      .filter(Boolean);
    expect(groups).toEqual(
      expect.arrayContaining([
        'AWSManagedRulesCommonRuleSet',
        'AWSManagedRulesKnownBadInputsRuleSet',
        'AWSManagedRulesAmazonIpReputationList',
        'AWSManagedRulesSQLiRuleSet',
      ]),
    );
    expect(JSON.stringify(acl.Properties.Rules)).toContain('RateBasedStatement');
    const [lbId] = ofType('AWS::ElasticLoadBalancingV2::LoadBalancer')[0];
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: { Ref: lbId },
      WebACLArn: { 'Fn::GetAtt': [aclId, 'Arn'] },
    });
  });

  it('U3 U4 WAF logs to an encrypted six-year aws-waf-logs-* group, credentials and query strings redacted', () => {
    const [aclId] = ofType('AWS::WAFv2::WebACL')[0];
    template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      ResourceArn: { 'Fn::GetAtt': [aclId, 'Arn'] },
      RedactedFields: [
        { SingleHeader: { Name: 'authorization' } },
        { SingleHeader: { Name: 'cookie' } },
        { QueryString: {} },
      ],
    });
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { LogGroupName: Match.anyValue(), KmsKeyId: Match.anyValue(), RetentionInDays: 2192 },
      DeletionPolicy: 'Retain',
    });
    const [, logging] = ofType('AWS::WAFv2::LoggingConfiguration')[0];
    // Named per stack creation (retained: a retried first create must not collide with a leftover group).
    expect(evaluateWithStackId(logging.Properties.LogDestinationConfigs)).toEqual([
      `arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-hipaa-dev-app-alb-${TEST_STACK_CREATE_ID}`,
    ]);
    const [, policy] = ofType('AWS::Logs::ResourcePolicy')[0];
    expect(JSON.stringify(policy.Properties.PolicyDocument)).toContain('delivery.logs.amazonaws.com');
  });

  it('A1 A2 Cognito: MFA required (TOTP only), no self sign-up, strong passwords, threat protection enforced', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Policies: {
        PasswordPolicy: {
          MinimumLength: 14,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
          TemporaryPasswordValidityDays: 1,
        },
      },
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      DeletionProtection: 'ACTIVE',
    });
  });

  it('A4 Cognito access and ID tokens live at most 15 minutes; the app client is the ALB code-grant client', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AccessTokenValidity: 15,
      IdTokenValidity: 15,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
      GenerateSecret: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid'],
      CallbackURLs: ['https://config-domain-required-for-deploy.invalid/oauth2/idpresponse'],
    });
    prod.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      CallbackURLs: ['https://app.example.org/oauth2/idpresponse'],
    });
  });

  it('A2 A4 every routed request signs in with Cognito first; the load balancer session lasts 900 s', () => {
    const rules = ofType('AWS::ElasticLoadBalancingV2::ListenerRule');
    expect(rules.length).toBeGreaterThan(0);
    for (const [, rule] of rules) {
      const actions = rule.Properties.Actions as Array<Record<string, unknown>>;
      expect(actions[0]).toMatchObject({
        Type: 'authenticate-cognito',
        Order: 1,
        AuthenticateCognitoConfig: {
          SessionTimeout: 900,
          Scope: 'openid',
          OnUnauthenticatedRequest: 'authenticate',
          AuthenticationRequestExtraParams: { prompt: 'login' },
        },
      });
      expect(actions[1]).toMatchObject({ Type: 'forward', Order: 2 });
    }
  });

  it('A4 config sessionTimeoutMinutes 10 gives a 600 s load balancer session and 10-minute tokens', () => {
    const t = shortSession.template;
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Actions: Match.arrayWith([
        Match.objectLike({ AuthenticateCognitoConfig: Match.objectLike({ SessionTimeout: 600 }) }),
      ]),
    });
    t.hasResourceProperties('AWS::Cognito::UserPoolClient', { AccessTokenValidity: 10, IdTokenValidity: 10 });
  });

  it('A4 Session Manager preferences: idle timeout 15 minutes, KMS-encrypted sessions, encrypted CloudWatch transcripts', () => {
    const [, doc] = ofType('AWS::SSM::Document')[0];
    expect(doc.Properties).toMatchObject({ Name: 'SSM-SessionManagerRunShell', DocumentType: 'Session' });
    const content = doc.Properties.Content as { schemaVersion: string; inputs: Record<string, unknown> };
    expect(content.schemaVersion).toBe('1.0');
    expect(content.inputs).toMatchObject({
      idleSessionTimeout: '15',
      maxSessionDuration: '60',
      kmsKeyId: expect.anything(),
      cloudWatchEncryptionEnabled: true,
      s3BucketName: '',
      runAsEnabled: false,
    });
    expect(JSON.stringify(content.inputs.kmsKeyId)).toContain('OperationsKey');
    expect(JSON.stringify(content.inputs.cloudWatchLogGroupName)).toContain('SessionManagerLogs');
  });

  it('A3 each service connects as its own database user (never the master secret), gets its own PHI prefix, and joins the data tier security group', () => {
    const policies = ofType('AWS::IAM::ManagedPolicy').filter(([id]) => id.startsWith('ApiServicePhiAccessPolicy'));
    expect(policies).toHaveLength(1);
    const statements = policies[0][1].Properties.PolicyDocument as { Statement: Array<Record<string, unknown>> };
    const doc = JSON.stringify(statements);
    expect(doc).toContain('/api/*');
    expect(statements.Statement).toContainEqual({
      Action: 'rds-db:connect',
      Effect: 'Allow',
      Resource: {
        'Fn::Join': [
          '',
          [
            'arn:aws:rds-db:us-east-1:123456789012:dbuser:',
            { 'Fn::GetStackOutput': expect.objectContaining({ OutputName: expect.stringMatching(/DbiResourceId/) }) },
            '/api',
          ],
        ],
      },
    });
    expect(statements.Statement.filter((st) => JSON.stringify(st.Action).includes('rds-db:'))).toHaveLength(1);
    // No policy of the app stack reads any secret: not the master secret, not through KMS either.
    for (const [, policy] of ofType('AWS::IAM::ManagedPolicy')) {
      expect(JSON.stringify(policy.Properties.PolicyDocument)).not.toMatch(
        /secretsmanager:GetSecretValue|MasterUserSecret/,
      );
    }
    const [, service] = ofType('AWS::ECS::Service')[0];
    expect(JSON.stringify(service.Properties.NetworkConfiguration)).toContain('AppSecurityGroup');
  });

  it('I2 stateful resources are retained, with pinned logical IDs', () => {
    const stack = dev.stack;
    const id = (c: { node: { defaultChild?: unknown } } | CfnUserPool): string =>
      stack.getLogicalId(
        (('node' in c && (c as { node: { defaultChild?: unknown } }).node.defaultChild) ?? c) as never,
      );
    expect(id(dev.stack.users.userPool)).toBe('Users10139FB0');
    expect(id(dev.stack.accessLogs.bucket)).toBe('AccessLogsBucketCD784A59');
    // Dev builds its sample from a directory (no repository); prod runs an image tag from its own repository.
    expect(dev.stack.services.api.images).toBeUndefined();
    expect(prod.stack.getLogicalId(prod.stack.services.api.images!.repository.node.defaultChild as CfnRepository)).toBe(
      'ApiRepositoryF340B4FB',
    );
    prod.template.hasResource('AWS::ECR::Repository', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(stack.getLogicalId(dev.stack.loadBalancer.webAcl.logGroup.logGroup.node.defaultChild as CfnLogGroup)).toBe(
      'LoadBalancerWebAclLogsFC657AE2',
    );
    expect(
      stack.getLogicalId(dev.stack.loadBalancer.webAcl.logFindingsGroup.logGroup.node.defaultChild as CfnLogGroup),
    ).toBe('LoadBalancerWebAclLogFindings9BBE3FC4');
    // The counts first, so a loop below can never pass by finding no resource of its type.
    const stateful: Record<string, number> = {
      'AWS::Cognito::UserPool': 1,
      'AWS::S3::Bucket': 1,
      // Including the WAF log group's data protection findings group (LoadBalancerWebAclLogFindings).
      'AWS::Logs::LogGroup': 9,
    };
    for (const [type, count] of Object.entries(stateful)) {
      expect([type, ofType(type).length]).toEqual([type, count]);
      for (const [rid, r] of ofType(type)) {
        expect([rid, r.DeletionPolicy, r.UpdateReplacePolicy]).toEqual([rid, 'Retain', 'Retain']);
      }
    }
    expect(dev.stack.accessLogs.bucket.node.defaultChild).toBeInstanceOf(CfnBucket);
  });

  it('without config.domain the stack says what deploy needs; with one it does not', () => {
    template.hasOutput('DeployRequires', { Value: Match.stringLikeRegexp('config.domain') });
    expect(Object.keys(prod.template.toJSON().Outputs)).not.toContain('DeployRequires');
    prod.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Certificates: [{ CertificateArn: testConfig('prod').domain!.certificateArn }],
    });
  });

  it('packs clean: no finding on the app stack (dev and prod), with the register applied', () => {
    expect(appFindings(dev)).toEqual([]);
    expect(appFindings(prod)).toEqual([]);
  });

  it('E3 the gate fires when the listener falls back to an old TLS policy or the target group to HTTP', () => {
    const broken = shortSession;
    const lb = broken.stack.loadBalancer;
    (lb.httpsListener.node.defaultChild as CfnListener).sslPolicy = 'ELBSecurityPolicy-2016-08';
    (lb.targetGroups.api.node.defaultChild as { protocol?: string }).protocol = 'HTTP';
    (lb.loadBalancer.node.defaultChild as CfnLoadBalancer).addPropertyOverride(
      'LoadBalancerAttributes.0.Value',
      'false',
    );
    expect(appFindings(broken)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^Blueprint-AlbTlsPolicyAllowList\[SslPolicy::ELBSecurityPolicy-2016-08\] @ Dev\/App\/LoadBalancer/,
        ),
        expect.stringMatching(/^Blueprint-NoHttpTargetGroup\[Protocol::HTTP\] @ Dev\/App\/LoadBalancer\/ApiTargets/),
      ]),
    );
  });

  it('snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });
});
