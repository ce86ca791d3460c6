import { Template } from 'aws-cdk-lib/assertions';
import { AppCertificate } from '../../constructs/app-certificate';
import { appTierFixture } from '../support/app-tier-fixture';

describe('AppCertificate', () => {
  it('E3 imports an existing certificate ARN', () => {
    const { stack } = appTierFixture();
    const arn = 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000';
    const cert = new AppCertificate(stack, 'C', { domain: { name: 'app.example.org', certificateArn: arn } });
    expect(cert.deployable).toBe(true);
    expect(cert.certificate.certificateArn).toBe(arn);
    Template.fromStack(stack).resourceCountIs('AWS::CertificateManager::Certificate', 0);
  });

  it('E3 issues a DNS-validated certificate in a hosted zone, without a lookup', () => {
    const { stack } = appTierFixture();
    new AppCertificate(stack, 'C', {
      domain: { name: 'app.example.org', hostedZoneId: 'Z0123456789ABC', hostedZoneName: 'example.org' },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'app.example.org',
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: 'app.example.org', HostedZoneId: 'Z0123456789ABC' }],
    });
  });

  it('without a domain: a placeholder that names what deploy needs', () => {
    const { stack } = appTierFixture();
    const cert = new AppCertificate(stack, 'C', {});
    expect(cert.deployable).toBe(false);
    expect(JSON.stringify(stack.resolve(cert.certificate.certificateArn))).toMatch(
      /:acm:us-east-1:123456789012:certificate\/config-domain-required-for-deploy"/,
    );
  });

  it('refuses a domain with neither a certificate nor a hosted zone', () => {
    const { stack } = appTierFixture();
    expect(() => new AppCertificate(stack, 'C', { domain: { name: 'app.example.org' } })).toThrow(
      /domain.hostedZoneId = 'undefined', domain.hostedZoneName = 'undefined': both are needed/,
    );
  });
});
