import { Template } from 'aws-cdk-lib/assertions';
import { GUARDDUTY_FEATURES, GuardDutyDetector } from '../../constructs/guard-duty-detector';
import { fixtureStack } from '../support/construct-fixtures';

function detector(props?: ConstructorParameters<typeof GuardDutyDetector>[2]): Template {
  const s = fixtureStack();
  new GuardDutyDetector(s, 'GuardDuty', props);
  return Template.fromStack(s);
}

const template = detector();

describe('GuardDutyDetector', () => {
  it('D2 GuardDuty detector with S3 data event and RDS login protection', () => {
    template.resourceCountIs('AWS::GuardDuty::Detector', 1);
    template.hasResourceProperties('AWS::GuardDuty::Detector', {
      Enable: true,
      FindingPublishingFrequency: 'FIFTEEN_MINUTES',
      Features: GUARDDUTY_FEATURES.map((Name) => ({ Name, Status: 'ENABLED' })),
    });
    expect(GUARDDUTY_FEATURES).toEqual(['S3_DATA_EVENTS', 'RDS_LOGIN_EVENTS']);
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
      Features: GUARDDUTY_FEATURES.map((Name) => ({ Name, Status: 'ENABLED' })),
    });
  });
});
