import { Template } from 'aws-cdk-lib/assertions';
import { AppUserPool } from '../../constructs/app-user-pool';
import { appTierFixture, userPoolProps } from '../support/app-tier-fixture';

describe('AppUserPool', () => {
  it('A4 refuses a session over 15 minutes and keeps tokens at Cognito’s 5-minute floor', () => {
    const { stack } = appTierFixture();
    expect(() => new AppUserPool(stack, 'Long', { ...userPoolProps, sessionTimeoutMinutes: 60 })).toThrow(
      /sessionTimeoutMinutes = 60: must be a whole number from 1 to 15 \(safeguard A4\)/,
    );
    new AppUserPool(stack, 'Short', { ...userPoolProps, sessionTimeoutMinutes: 2 });
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AccessTokenValidity: 5,
      IdTokenValidity: 5,
    });
  });

  it('refuses a domain prefix Cognito reserves', () => {
    const { stack } = appTierFixture();
    expect(() => new AppUserPool(stack, 'P', { ...userPoolProps, domainPrefix: 'my-cognito-app' })).toThrow(
      /domainPrefix = 'my-cognito-app'/,
    );
  });
});
