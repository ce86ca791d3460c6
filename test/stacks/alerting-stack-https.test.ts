import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildBlueprint } from '../../lib/blueprint-app';
import { HipaaStage } from '../../lib/hipaa-stage';
import { testConfig } from '../support/blueprint';
import { scratchDir } from '../support/scratch';

// prod with a second alert endpoint, synthesized with the gate (packs and assembly rules) as `cdk synth` runs it.
const ENDPOINT = 'https://pager.example.org/hooks/security';
const outdir = scratchDir('alert-https-');

describe('AlertingStack with config.alertHttpsEndpoint', () => {
  test('D3 a second, HTTPS endpoint: retry policy, the pipeline dead-letter queue (alarmed, direct to the topic); the gate passes', () => {
    const app = new App({ outdir, builtinCloudFormationValidation: false });
    buildBlueprint(app, testConfig('prod', { alertHttpsEndpoint: ENDPOINT }));
    expect(() => app.synth()).not.toThrow();
    const stage = app.node.children.find((c): c is HipaaStage => c instanceof HipaaStage)!;
    const template = Template.fromStack(stage.alerting);
    const pipeline = stage.alerting.pipeline;
    const queueId = stage.alerting.getLogicalId(pipeline.deadLetterQueue.node.defaultChild as never);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'https',
      Endpoint: ENDPOINT,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
      DeliveryPolicy: {
        healthyRetryPolicy: { numRetries: 20, minDelayTarget: 5, maxDelayTarget: 60, backoffFunction: 'EXPONENTIAL' },
      },
    });
    template.resourceCountIs('AWS::SNS::Subscription', 2); // the e-mail address and the endpoint
    // SNS may encrypt into the dead-letter queue under the operations key (ManagedKey usage alarmPublishers).
    const keys = Template.fromStack(stage.keys).toJSON().Resources as Record<
      string,
      {
        Type: string;
        Properties: { KeyPolicy?: { Statement: { Sid?: string; Principal?: { Service?: string[] } }[] } };
      }
    >;
    const publishers = Object.values(keys)
      .flatMap((r) => r.Properties.KeyPolicy?.Statement ?? [])
      .filter((st) => st.Sid === 'AlarmsAndEventsPublishToEncryptedTopics');
    expect(publishers.length).toBeGreaterThan(0);
    for (const st of publishers) expect(st.Principal?.Service).toContain('sns.amazonaws.com');
  });
});

describe('AlertPipeline httpsEndpoint', () => {
  test('a URL that is not https, or carries credentials, is refused naming the field, value and rule', () => {
    const app = new App({ outdir: scratchDir('alert-https-bad-') });
    expect(() =>
      buildBlueprint(app, testConfig('dev', { alertHttpsEndpoint: 'https://u:p@pager.example.org/' })),
    ).toThrow(
      /alertHttpsEndpoint|httpsEndpoint = 'https:\/\/u:p@pager.example.org\/': must be an https:\/\/ URL without credentials/,
    );
  });
});
