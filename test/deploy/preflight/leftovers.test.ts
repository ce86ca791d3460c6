import { DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { checkLeftovers } from '../../../lib/deploy/preflight/leftovers';
import { testConfig } from '../../support/blueprint';
import {
  assembly,
  assemblyStack,
  deployedStack,
  deployedState,
  preflightContext,
  sdkError,
} from '../../support/deploy';

const s3 = mockClient(S3Client);
const ecr = mockClient(ECRClient);
// Files share a process (jest-light-runner): leave the SDK clients unmocked for the next file.
afterAll(() => [s3, ecr].forEach((m) => m.restore()));
beforeEach(() => {
  s3.reset();
  ecr.reset();
});

const config = testConfig('prod');
const data = assemblyStack('hipaa-prod-data', 'us-east-1', {
  PhiBucket: {
    Type: 'AWS::S3::Bucket',
    DeletionPolicy: 'Retain',
    Properties: { BucketName: 'hipaa-prod-phi-data-123456789012-us-east-1' },
  },
  Unnamed: { Type: 'AWS::S3::Bucket', DeletionPolicy: 'Retain', Properties: {} },
  Deleted: { Type: 'AWS::S3::Bucket', DeletionPolicy: 'Delete', Properties: { BucketName: 'not-kept' } },
});
const app = assemblyStack('hipaa-prod-app', 'us-east-1', {
  Repo: { Type: 'AWS::ECR::Repository', DeletionPolicy: 'Retain', Properties: { RepositoryName: 'hipaa-prod/api' } },
  Users: { Type: 'AWS::Cognito::UserPool', DeletionPolicy: 'Retain', Properties: { UserPoolName: 'hipaa-prod-users' } },
  Computed: {
    Type: 'AWS::ECR::Repository',
    DeletionPolicy: 'Retain',
    Properties: { RepositoryName: { 'Fn::Join': ['', ['a', 'b']] } },
  },
});
const templates = assembly(data, app);

describe('preflight: leftovers of a failed first create', () => {
  it('passes when no retained, physically named resource exists; lists unchecked ones honestly', async () => {
    s3.on(HeadBucketCommand).rejects(sdkError('NotFound', 'Not Found', 404));
    ecr.on(DescribeRepositoriesCommand).rejects(sdkError('RepositoryNotFoundException'));
    expect(await checkLeftovers(preflightContext(config, { assembly: templates }))).toEqual([
      {
        level: 'warning',
        check: 'leftovers',
        message:
          'not checked (a leftover of an earlier attempt would fail the create; check by hand): AWS::Cognito::UserPool hipaa-prod-users of hipaa-prod-app (Cognito allows several pools with one name, so a leftover pool does not block the create, but it stays behind with its users); AWS::ECR::Repository Computed of hipaa-prod-app (name computed at deploy time)',
      },
    ]);
    // Only Retain + explicit name: the unnamed bucket and the Delete-policy bucket are not looked up.
    expect(s3.commandCalls(HeadBucketCommand).map((c) => c.args[0].input.Bucket)).toEqual([
      'hipaa-prod-phi-data-123456789012-us-east-1',
    ]);
  });

  it('refuses a retained resource that already exists, saying how to import or delete it', async () => {
    s3.on(HeadBucketCommand).resolves({});
    ecr.on(DescribeRepositoriesCommand).rejects(sdkError('RepositoryNotFoundException'));
    const errors = (await checkLeftovers(preflightContext(config, { assembly: templates }))).filter(
      (f) => f.level === 'error',
    );
    expect(errors.map((f) => f.message)).toEqual([
      "AWS::S3::Bucket 'hipaa-prod-phi-data-123456789012-us-east-1' (PhiBucket of hipaa-prod-data, us-east-1) already exists, left by an earlier failed or deleted deploy (its deletion policy keeps it), so creating the stack fails. Import it: `npx cdk import -c env=prod Prod/Data` (CDK asks for its name; then deploy again); or, only if it holds nothing to keep (never PHI, audit or backup data within retention), delete it",
    ]);
  });

  it('a bucket name held by another account is refused with its own message', async () => {
    s3.on(HeadBucketCommand).rejects(sdkError('Forbidden', 'Forbidden', 403));
    ecr.on(DescribeRepositoriesCommand).rejects(sdkError('RepositoryNotFoundException'));
    const errors = (await checkLeftovers(preflightContext(config, { assembly: templates }))).filter(
      (f) => f.level === 'error',
    );
    expect(errors[0].message).toMatch(
      /^AWS::S3::Bucket name 'hipaa-prod-phi-data-123456789012-us-east-1' .* is taken, and this account cannot read it/,
    );
  });

  it('stacks that exist are not scanned; ROLLBACK_COMPLETE ones are (their retained resources are orphans)', async () => {
    s3.on(HeadBucketCommand).resolves({});
    ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [{}] });
    const deployed = deployedState(
      deployedStack('hipaa-prod-data', 'us-east-1', [], { status: 'UPDATE_COMPLETE' }),
      deployedStack('hipaa-prod-app', 'us-east-1', [], { status: 'ROLLBACK_COMPLETE' }),
    );
    const findings = await checkLeftovers(preflightContext(config, { assembly: templates, deployed }));
    expect(s3.calls()).toHaveLength(0);
    expect(findings.filter((f) => f.level === 'error').map((f) => f.message)).toEqual([
      expect.stringMatching(
        /^AWS::ECR::Repository 'hipaa-prod\/api' \(Repo of hipaa-prod-app, us-east-1\) already exists/,
      ),
    ]);
  });
});
