import { Template } from 'aws-cdk-lib/assertions';
import { Repository } from 'aws-cdk-lib/aws-ecr';
import { FINDING_PATTERNS } from '../../constructs/alert-pipeline';
import { ECR_IMAGE_PULL_ACTIONS, guardDutyAgentRepositoryArn } from '../../constructs/guard-duty-agent-repository';
import { PhiCluster } from '../../constructs/phi-cluster';
import { PhiService, PhiServiceProps, PhiWorkload } from '../../constructs/phi-service';
import { appTierFixture, retention } from '../support/app-tier-fixture';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CloudFormation JSON, asserted field by field
type Json = Record<string, any>;
const WORKLOAD: PhiWorkload = {
  name: 'api',
  containerPort: 8443,
  cpu: 512,
  memoryMiB: 1024,
  desiredCount: 1,
  imageTag: 'v1',
};
const AGENT = guardDutyAgentRepositoryArn('us-east-1')!;

function build(props: Partial<PhiServiceProps> = {}): Json[] {
  const { stack, vpc, key } = appTierFixture();
  const cluster = new PhiCluster(stack, 'Cluster', { vpc, key, ephemeralStorageKey: key, retention, clusterName: 'c' });
  const repository = new Repository(stack, 'Images');
  new PhiService(stack, 'Api', { cluster, logKey: key, retention, service: WORKLOAD, repository, ...props });
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, Json>;
  const [, policy] = Object.entries(resources).find(
    ([id, r]) => r.Type === 'AWS::IAM::ManagedPolicy' && id.startsWith('ApiExecutionPolicy'),
  )!;
  return policy.Properties.PolicyDocument.Statement as Json[];
}

describe('PhiService: GuardDuty runtime agent sidecar (D2)', () => {
  test("D2 with the agent repository, the execution role may pull from it (image pull actions only), besides the service's own repository", () => {
    const statements = build({ guardDutyAgentRepositoryArn: AGENT });
    expect(statements.filter((s) => JSON.stringify(s.Resource) === JSON.stringify(AGENT))).toEqual([
      { Sid: 'GuardDutyAgentPull', Effect: 'Allow', Action: [...ECR_IMAGE_PULL_ACTIONS], Resource: AGENT },
    ]);
  });

  test('D2 without it, nothing of GuardDuty is granted', () => {
    expect(JSON.stringify(build())).not.toContain('aws-guardduty-agent-fargate');
  });

  test('D2 a wildcard or non-ECR repository ARN is refused, naming the field, the value and the rule', () => {
    expect(() => build({ guardDutyAgentRepositoryArn: 'arn:aws:ecr:us-east-1:593207742271:repository/*' })).toThrow(
      "guardDutyAgentRepositoryArn = 'arn:aws:ecr:us-east-1:593207742271:repository/*': must be an ECR repository ARN without wildcards",
    );
    expect(() => build({ guardDutyAgentRepositoryArn: '*' })).toThrow(/guardDutyAgentRepositoryArn = '\*'/);
  });
});

describe('alert pipeline patterns for runtime coverage and malware protection (D2 -> D3)', () => {
  test('D2 D3 runtime coverage unhealthy, the four alerting scan results and the plan health are routed; the existing patterns unchanged', () => {
    expect(FINDING_PATTERNS.GuardDutyRuntimeCoverage).toEqual({
      source: ['aws.guardduty'],
      detailType: ['GuardDuty Runtime Protection Unhealthy'],
    });
    expect(FINDING_PATTERNS.MalwareScanResults).toEqual({
      source: ['aws.guardduty'],
      detailType: ['GuardDuty Malware Protection Object Scan Result'],
      detail: { scanResultDetails: { scanResultStatus: ['THREATS_FOUND', 'UNSUPPORTED', 'ACCESS_DENIED', 'FAILED'] } },
    });
    expect(FINDING_PATTERNS.MalwareProtectionHealth!.detailType).toEqual([
      'GuardDuty Malware Protection Resource Status Warning',
      'GuardDuty Malware Protection Resource Status Error',
      'GuardDuty Malware Protection Post Scan Action Failed',
    ]);
    expect(FINDING_PATTERNS.GuardDutyFindings!.detailType).toEqual(['GuardDuty Finding']);
  });
});
