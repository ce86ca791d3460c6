import {
  ConfigServiceClient,
  DescribeConfigurationRecordersCommand,
  DescribeDeliveryChannelsCommand,
} from '@aws-sdk/client-config-service';
import { GuardDutyClient, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { GetMacieSessionCommand, Macie2Client } from '@aws-sdk/client-macie2';
import { DescribeHubCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { DescribeDocumentCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { checkSingletons } from '../../../lib/deploy/preflight/singletons';
import { testConfig } from '../../support/blueprint';
import {
  assembly,
  assemblyStack,
  deployedStack,
  deployedState,
  preflightContext,
  sdkError,
} from '../../support/deploy';

const guardDuty = mockClient(GuardDutyClient);
const hub = mockClient(SecurityHubClient);
const macie = mockClient(Macie2Client);
const configService = mockClient(ConfigServiceClient);
const ssm = mockClient(SSMClient);
// Files share a process (jest-light-runner): leave the SDK clients unmocked for the next file.
afterAll(() => [guardDuty, hub, macie, configService, ssm].forEach((m) => m.restore()));

const config = testConfig('prod');
const detection = assemblyStack('hipaa-prod-detection', 'us-east-1', {
  Detector: { Type: 'AWS::GuardDuty::Detector' },
  Hub: { Type: 'AWS::SecurityHub::Hub' },
  Session: { Type: 'AWS::Macie::Session' },
  Recorder: { Type: 'AWS::Config::ConfigurationRecorder' },
  Channel: { Type: 'AWS::Config::DeliveryChannel' },
});
const app = assemblyStack('hipaa-prod-app', 'us-east-1', {
  SessionManager: { Type: 'AWS::SSM::Document', Properties: { Name: 'SSM-SessionManagerRunShell' } },
});
const both = assembly(detection, app);

/** An account with nothing enabled. */
function emptyAccount(): void {
  guardDuty.on(ListDetectorsCommand).resolves({ DetectorIds: [] });
  hub
    .on(DescribeHubCommand)
    .rejects(sdkError('InvalidAccessException', 'Account 123456789012 is not subscribed to AWS Security Hub', 401));
  macie.on(GetMacieSessionCommand).rejects(sdkError('AccessDeniedException', 'Macie is not enabled.', 403));
  configService.on(DescribeConfigurationRecordersCommand).resolves({ ConfigurationRecorders: [] });
  configService.on(DescribeDeliveryChannelsCommand).resolves({ DeliveryChannels: [] });
  ssm
    .on(DescribeDocumentCommand)
    .rejects(sdkError('InvalidDocument', 'Document with name SSM-SessionManagerRunShell does not exist.'));
}

/** An account where Control Tower (or someone) enabled everything. */
function fullAccount(): void {
  guardDuty.on(ListDetectorsCommand).resolves({ DetectorIds: ['abc123'] });
  hub.on(DescribeHubCommand).resolves({ HubArn: 'arn:aws:securityhub:us-east-1:123456789012:hub/default' });
  macie.on(GetMacieSessionCommand).resolves({ status: 'ENABLED' });
  configService
    .on(DescribeConfigurationRecordersCommand)
    .resolves({ ConfigurationRecorders: [{ name: 'aws-controltower-BaselineConfigRecorder' }] });
  configService
    .on(DescribeDeliveryChannelsCommand)
    .resolves({ DeliveryChannels: [{ name: 'aws-controltower-BaselineConfigDeliveryChannel' }] });
  ssm.on(DescribeDocumentCommand).resolves({ Document: { Name: 'SSM-SessionManagerRunShell' } });
}

beforeEach(() => {
  for (const m of [guardDuty, hub, macie, configService, ssm]) m.reset();
});

describe('preflight: account-level singletons', () => {
  it('passes when the account has none of them', async () => {
    emptyAccount();
    expect(await checkSingletons(preflightContext(config, { assembly: both }))).toEqual([]);
  });

  it('refuses each existing singleton that is not ours, naming the config switch to flip', async () => {
    fullAccount();
    const messages = (await checkSingletons(preflightContext(config, { assembly: both }))).map((f) => f.message);
    expect(messages).toHaveLength(5);
    expect(messages[0]).toBe(
      "GuardDuty detector already exists in 123456789012/us-east-1 (detector abc123) and is not in stack hipaa-prod-detection (Control Tower, an organization administrator or a manual set-up?); creating a second one fails the deploy: set detection.guardDuty: false for environment 'prod' in lib/config/environments.ts; the existing one then serves D2 (npm run verify checks it is on)",
    );
    expect(messages[1]).toMatch(
      /^Security Hub already exists .*hub arn:aws:securityhub.* set detection\.securityHub: false/,
    );
    expect(messages[2]).toMatch(/^Macie session already exists .*session ENABLED.* set detection\.macie: false/);
    expect(messages[3]).toMatch(
      /^AWS Config recorder already exists .*recorder aws-controltower-BaselineConfigRecorder, delivery channel aws-controltower-BaselineConfigDeliveryChannel.* set detection\.config: false/,
    );
    expect(messages[4]).toMatch(
      /^Session Manager preferences document SSM-SessionManagerRunShell already exists .*delete it with `aws ssm delete-document --name SSM-SessionManagerRunShell --region us-east-1`, or keep it by importing it into the stack \(`npx cdk import -c env=prod Prod\/App`/,
    );
  });

  it('singletons held by our own stacks are ours: no finding, no lookup', async () => {
    fullAccount();
    const deployed = deployedState(
      deployedStack('hipaa-prod-detection', 'us-east-1', [
        ['Detector', 'AWS::GuardDuty::Detector', 'abc123'],
        ['Hub', 'AWS::SecurityHub::Hub', 'arn:aws:securityhub:us-east-1:123456789012:hub/default'],
        ['Session', 'AWS::Macie::Session', '123456789012'],
        ['Recorder', 'AWS::Config::ConfigurationRecorder', 'hipaa-prod-detection-Recorder'],
      ]),
      deployedStack('hipaa-prod-app', 'us-east-1', [
        ['SessionManager', 'AWS::SSM::Document', 'SSM-SessionManagerRunShell'],
      ]),
    );
    expect(await checkSingletons(preflightContext(config, { assembly: both, deployed }))).toEqual([]);
    expect(guardDuty.calls()).toHaveLength(0);
    expect(ssm.calls()).toHaveLength(0);
  });

  it('a service switched off in config (absent from the templates) is not checked', async () => {
    fullAccount();
    const onlyHub = assembly(
      assemblyStack('hipaa-prod-detection', 'us-east-1', { Hub: { Type: 'AWS::SecurityHub::Hub' } }),
    );
    const messages = (await checkSingletons(preflightContext(config, { assembly: onlyHub }))).map((f) => f.message);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^Security Hub already exists/);
    expect(guardDuty.calls()).toHaveLength(0);
  });

  it('a real access denial from Macie is not mistaken for "not enabled": the check throws (reported as could not run)', async () => {
    emptyAccount();
    macie
      .on(GetMacieSessionCommand)
      .rejects(sdkError('AccessDeniedException', 'User is not authorized to perform macie2:GetMacieSession', 403));
    await expect(checkSingletons(preflightContext(config, { assembly: both }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
  });
});
