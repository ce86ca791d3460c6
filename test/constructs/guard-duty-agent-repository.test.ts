import { App, Stack } from 'aws-cdk-lib';
import {
  ECR_IMAGE_PULL_ACTIONS,
  GUARDDUTY_FARGATE_AGENT_ACCOUNTS,
  guardDutyAgentRepositoryArn,
  isGuardDutyAgentRepositoryArn,
  requireGuardDutyAgentRepositoryArn,
} from '../../constructs/guard-duty-agent-repository';
import { interfaceEndpointStatements } from '../../constructs/interface-endpoint-policies';
import { guardDutyAgentRepository } from '../../lib/config/guard-duty-agent';
import { templateJson } from '../support/synthesized';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CloudFormation JSON, asserted field by field
type Json = Record<string, any>;
const US_EAST_1 = 'arn:aws:ecr:us-east-1:593207742271:repository/aws-guardduty-agent-fargate';
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

describe("GuardDuty's Fargate agent repository (D2)", () => {
  test('D2 the repository of a listed region, as the GuardDuty User Guide names it', () => {
    expect(guardDutyAgentRepositoryArn('us-east-1')).toBe(US_EAST_1);
    expect(guardDutyAgentRepositoryArn('eu-west-1')).toBe(
      'arn:aws:ecr:eu-west-1:694911143906:repository/aws-guardduty-agent-fargate',
    );
    for (const [region, account] of Object.entries(GUARDDUTY_FARGATE_AGENT_ACCOUNTS)) {
      expect(region).toMatch(/^[a-z]{2}-[a-z]+-\d$/);
      expect(account).toMatch(/^\d{12}$/);
      expect(isGuardDutyAgentRepositoryArn(guardDutyAgentRepositoryArn(region)!)).toBe(true);
    }
    // Another account's repository of the same name, or another repository of GuardDuty's account, is not it.
    expect(isGuardDutyAgentRepositoryArn(US_EAST_1.replace('593207742271', '111122223333'))).toBe(false);
    expect(isGuardDutyAgentRepositoryArn(US_EAST_1.replace('agent-fargate', 'agent-ecs-ec2'))).toBe(false);
    expect(isGuardDutyAgentRepositoryArn(US_EAST_1.replace('us-east-1', 'us-west-2'))).toBe(false);
  });

  test('D2 an unknown region: undefined, or a clear error naming the field, the value and the rule', () => {
    expect(guardDutyAgentRepositoryArn('ap-southeast-7')).toBeUndefined();
    expect(() => requireGuardDutyAgentRepositoryArn('ap-southeast-7', 'region')).toThrow(
      /^region = 'ap-southeast-7': GuardDuty runtime monitoring needs .* must be one of us-east-1, /,
    );
    // With GuardDuty on the config needs the region's repository; off (an organization may run it), it is optional.
    expect(() => guardDutyAgentRepository({ region: 'ap-southeast-7', detection: { guardDuty: true } })).toThrow(
      /region = 'ap-southeast-7'/,
    );
    expect(guardDutyAgentRepository({ region: 'ap-southeast-7', detection: { guardDuty: false } })).toBeUndefined();
    expect(guardDutyAgentRepository({ region: 'us-east-1', detection: { guardDuty: false } })).toBe(US_EAST_1);
  });

  test("D2 N3 the ECR endpoints admit pulls from the named foreign repository only, for this account's principals", () => {
    const json = (endpoint: string, foreign: string[]) =>
      interfaceEndpointStatements(endpoint, '123456789012', foreign).map((s) =>
        Stack.of(new Stack(new App())).resolve(s.toStatementJson()),
      );
    for (const endpoint of ['ecr.api', 'ecr.dkr']) {
      expect(json(endpoint, [US_EAST_1])).toContainEqual({
        Sid: 'ThisAccountPrincipalsPullNamedForeignRepositories',
        Effect: 'Allow',
        Principal: '*',
        Action: [...ECR_IMAGE_PULL_ACTIONS],
        Resource: US_EAST_1,
        Condition: { StringEquals: { 'aws:PrincipalAccount': '123456789012' } },
      });
      expect(JSON.stringify(json(endpoint, []))).not.toContain('593207742271');
    }
    // Other endpoints never admit a foreign resource.
    expect(JSON.stringify(json('logs', [US_EAST_1]))).not.toContain('593207742271');
    expect(() => json('ecr.dkr', ['arn:aws:ecr:us-east-1:593207742271:repository/*'])).toThrow(
      "interface endpoint ecr.dkr: foreignPullRepositoryArns[0] = 'arn:aws:ecr:us-east-1:593207742271:repository/*': must be an ECR repository ARN without wildcards",
    );
  });

  describe('in the synthesized prod environment', () => {
    const network = templateJson('prod', 'Network').Resources as Record<string, Json>;
    const app = templateJson('prod', 'App').Resources as Record<string, Json>;

    test('D2 N3 the PHI VPC ecr.api and ecr.dkr endpoints admit the agent repository of us-east-1', () => {
      const ecr = Object.values(network).filter(
        (r) =>
          r.Type === 'AWS::EC2::VPCEndpoint' && /\.ecr\.(api|dkr)\b/.test(JSON.stringify(r.Properties.ServiceName)),
      );
      expect(ecr.length).toBeGreaterThanOrEqual(2);
      for (const endpoint of ecr) {
        const admitted = asList(endpoint.Properties.PolicyDocument.Statement).filter(
          (s) => (s as Json).Resource === US_EAST_1,
        );
        expect(admitted).toHaveLength(1);
      }
    });

    test('D2 every task execution role of the Fargate services may pull the agent from that repository only', () => {
      const services = Object.values(app).filter((r) => r.Type === 'AWS::ECS::Service');
      expect(services.length).toBeGreaterThan(0);
      for (const service of services) {
        const task = app[service.Properties.TaskDefinition.Ref];
        const role = task.Properties.ExecutionRoleArn['Fn::GetAtt'][0];
        const statements = Object.values(app)
          .filter(
            (r) =>
              r.Type === 'AWS::IAM::ManagedPolicy' &&
              asList(r.Properties.Roles).some((x) => JSON.stringify(x) === JSON.stringify({ Ref: role })),
          )
          .flatMap((r) => asList(r.Properties.PolicyDocument.Statement) as Json[]);
        const pull = statements.filter((s) => s.Sid === 'GuardDutyAgentPull');
        expect(pull).toEqual([
          { Sid: 'GuardDutyAgentPull', Effect: 'Allow', Action: [...ECR_IMAGE_PULL_ACTIONS], Resource: US_EAST_1 },
        ]);
      }
    });
  });
});
