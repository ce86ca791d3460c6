import { ACMClient, DescribeCertificateCommand } from '@aws-sdk/client-acm';
import { GetHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import { certificateCovers, checkDomain } from '../../../lib/deploy/preflight/domain';
import { testConfig } from '../../support/blueprint';
import { preflightContext, sdkError } from '../../support/deploy';

const acm = mockClient(ACMClient);
const route53 = mockClient(Route53Client);
// Files share a process (jest-light-runner): leave the SDK clients unmocked for the next file.
afterAll(() => [acm, route53].forEach((m) => m.restore()));
beforeEach(() => {
  acm.reset();
  route53.reset();
});

const ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000';
const prod = testConfig('prod');
const zoneConfig = testConfig('prod', {
  domain: { name: 'app.example.org', certificateArn: undefined, hostedZoneId: 'Z123', hostedZoneName: 'example.org' },
});

describe('preflight: domain', () => {
  it('certificate: passes when ISSUED and covering domain.name (also through a wildcard)', async () => {
    acm.on(DescribeCertificateCommand).resolves({
      Certificate: { Status: 'ISSUED', DomainName: 'example.org', SubjectAlternativeNames: ['*.example.org'] },
    });
    expect(await checkDomain(preflightContext(prod))).toEqual([]);
    expect(acm.commandCalls(DescribeCertificateCommand)[0].args[0].input).toEqual({ CertificateArn: ARN });
    expect([
      certificateCovers('*.example.org', 'app.example.org'),
      certificateCovers('*.example.org', 'a.b.example.org'),
    ]).toEqual([true, false]);
  });

  it('certificate: refuses one that is not ISSUED', async () => {
    acm
      .on(DescribeCertificateCommand)
      .resolves({ Certificate: { Status: 'PENDING_VALIDATION', DomainName: 'app.example.org' } });
    expect((await checkDomain(preflightContext(prod))).map((f) => f.message)).toEqual([
      `domain.certificateArn = ${ARN}: status PENDING_VALIDATION, must be ISSUED (for PENDING_VALIDATION, create the DNS validation records ACM shows and wait; an expired or revoked one must be replaced)`,
    ]);
  });

  it('certificate: refuses one that does not cover domain.name', async () => {
    acm.on(DescribeCertificateCommand).resolves({ Certificate: { Status: 'ISSUED', DomainName: 'other.example.org' } });
    expect((await checkDomain(preflightContext(prod))).map((f) => f.message)).toEqual([
      `domain.certificateArn = ${ARN}: covers other.example.org, not domain.name 'app.example.org'; use a certificate for that name (or a wildcard of its parent)`,
    ]);
  });

  it('certificate: refuses one that does not exist', async () => {
    acm.on(DescribeCertificateCommand).rejects(sdkError('ResourceNotFoundException'));
    expect((await checkDomain(preflightContext(prod))).map((f) => f.message)).toEqual([
      `domain.certificateArn = ${ARN}: no such certificate in account 123456789012, region us-east-1`,
    ]);
  });

  it('hosted zone: passes when it exists, is public and its name matches', async () => {
    route53.on(GetHostedZoneCommand).resolves({
      HostedZone: { Id: 'Z123', Name: 'example.org.', CallerReference: 'x', Config: { PrivateZone: false } },
    });
    expect(await checkDomain(preflightContext(zoneConfig))).toEqual([]);
  });

  it('hosted zone: refuses a missing zone, a name mismatch and a private zone', async () => {
    route53.on(GetHostedZoneCommand).rejects(sdkError('NoSuchHostedZone'));
    expect((await checkDomain(preflightContext(zoneConfig))).map((f) => f.message)).toEqual([
      'domain.hostedZoneId = Z123: no such hosted zone in account 123456789012',
    ]);
    route53.on(GetHostedZoneCommand).resolves({
      HostedZone: { Id: 'Z123', Name: 'example.com.', CallerReference: 'x', Config: { PrivateZone: true } },
    });
    expect((await checkDomain(preflightContext(zoneConfig))).map((f) => f.message)).toEqual([
      "domain.hostedZoneName = 'example.org': hosted zone Z123 is named 'example.com'",
      "domain.name = 'app.example.org': not in hosted zone Z123 ('example.com')",
      'domain.hostedZoneId = Z123: a private hosted zone; ACM DNS validation and internet clients need the public zone of the domain',
    ]);
  });

  it('no domain: the app stack cannot deploy; an error in production, a warning otherwise', async () => {
    const noDomainProd = { ...prod, domain: undefined };
    expect(await checkDomain(preflightContext(noDomainProd))).toEqual([
      {
        level: 'error',
        check: 'domain',
        message:
          "environment 'prod' has no domain, so stack hipaa-prod-app cannot deploy (its HTTPS listener would use the placeholder certificate, which the load balancer rejects): set domain (name, and certificateArn or hostedZoneId + hostedZoneName) in lib/config/environments.ts",
      },
    ]);
    const [f] = await checkDomain(preflightContext(testConfig('dev')));
    expect(f.level).toBe('warning');
    expect(f.message).toMatch(
      /^environment 'dev' has no domain, so stack hipaa-dev-app cannot deploy .*; every other stack deploys$/,
    );
    expect(acm.calls()).toHaveLength(0);
  });
});
