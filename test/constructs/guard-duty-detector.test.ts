import { Template } from 'aws-cdk-lib/assertions';
import {
  GUARDDUTY_FEATURES,
  GUARDDUTY_RUNTIME_MONITORING,
  GuardDutyDetector,
} from '../../constructs/guard-duty-detector';
import { fixtureStack } from '../support/construct-fixtures';

function detector(props?: ConstructorParameters<typeof GuardDutyDetector>[2]): Template {
  const s = fixtureStack();
  new GuardDutyDetector(s, 'GuardDuty', props);
  return Template.fromStack(s);
}

const template = detector();

const FEATURES = [
  ...GUARDDUTY_FEATURES.map((Name) => ({ Name, Status: 'ENABLED' })),
  {
    Name: 'RUNTIME_MONITORING',
    Status: 'ENABLED',
    AdditionalConfiguration: [{ Name: 'ECS_FARGATE_AGENT_MANAGEMENT', Status: 'ENABLED' }],
  },
];

describe('GuardDutyDetector', () => {
  it('D2 GuardDuty detector with S3 data event and RDS login protection', () => {
    template.resourceCountIs('AWS::GuardDuty::Detector', 1);
    template.hasResourceProperties('AWS::GuardDuty::Detector', {
      Enable: true,
      FindingPublishingFrequency: 'FIFTEEN_MINUTES',
      Features: FEATURES,
    });
    expect(GUARDDUTY_FEATURES).toEqual(['S3_DATA_EVENTS', 'RDS_LOGIN_EVENTS']);
  });

  it('D2 runtime monitoring of the Fargate tasks, with the agent managed by GuardDuty', () => {
    expect(GUARDDUTY_RUNTIME_MONITORING).toEqual({
      feature: 'RUNTIME_MONITORING',
      agentManagement: 'ECS_FARGATE_AGENT_MANAGEMENT',
    });
    template.hasResourceProperties('AWS::GuardDuty::Detector', { Features: FEATURES });
  });

  it.each([['AWS::GuardDuty::Detector']])(
    'I2 %s is retained on delete and on replacement (its findings or recording must survive the stack)',
    (type) => {
      template.resourceCountIs(type, 1);
      template.hasResource(type, { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    },
  );

  it('D2 findingPublishingFrequency defaults to 15 minutes and may be set; the features stay on', () => {
    detector({ findingPublishingFrequency: 'ONE_HOUR' }).hasResourceProperties('AWS::GuardDuty::Detector', {
      Enable: true,
      FindingPublishingFrequency: 'ONE_HOUR',
      Features: FEATURES,
    });
  });
});
