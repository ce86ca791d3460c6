import { App } from 'aws-cdk-lib';
import { buildBlueprint } from '../../lib/blueprint-app';
import { testConfig } from '../support/blueprint';
import { scratchDir } from '../support/scratch';
import { HTTPS_ALERT_ENDPOINT } from '../support/synth-inputs';
import { logicalIdAt, synthesizedTemplate, templateJson } from '../support/synthesized';

// prod with a second alert endpoint (the 'prod-https-alerts' variant), synthesized once per run by the globalSetup
// with the gate (packs and assembly rules) on as `cdk synth` runs it: a gate finding fails every read of it.
const VARIANT = 'prod-https-alerts';

describe('AlertingStack with config.alertHttpsEndpoint', () => {
  test('D3 a second, HTTPS endpoint: retry policy, the pipeline dead-letter queue (alarmed, direct to the topic); the gate passes', () => {
    const template = synthesizedTemplate(VARIANT, 'Alerting');
    const queueId = logicalIdAt(VARIANT, 'Alerting', 'Prod/Alerting/AlertPipeline/DeadLetterQueue/Resource');
    expect(templateJson(VARIANT, 'Alerting').Resources[queueId]?.Type).toBe('AWS::SQS::Queue');
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'https',
      Endpoint: HTTPS_ALERT_ENDPOINT,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
      DeliveryPolicy: {
        healthyRetryPolicy: { numRetries: 20, minDelayTarget: 5, maxDelayTarget: 60, backoffFunction: 'EXPONENTIAL' },
      },
    });
    template.resourceCountIs('AWS::SNS::Subscription', 2); // the e-mail address and the endpoint
    // SNS may encrypt into the dead-letter queue under the operations key (ManagedKey usage alarmPublishers).
    const keys = templateJson(VARIANT, 'Keys').Resources as Record<
      string,
      {
        Type: string;
        Properties?: { KeyPolicy?: { Statement: { Sid?: string; Principal?: { Service?: string[] } }[] } };
      }
    >;
    const publishers = Object.values(keys)
      .flatMap((r) => r.Properties?.KeyPolicy?.Statement ?? [])
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
