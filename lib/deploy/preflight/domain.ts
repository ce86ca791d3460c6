import { DescribeCertificateCommand } from '@aws-sdk/client-acm';
import { GetHostedZoneCommand } from '@aws-sdk/client-route-53';
import { error, Finding, warning } from '../core/finding';
import { describeError, isError } from '../core/sdk-error';
import { CONFIG_FILE, stackName } from '../core/stacks';
import { PreflightCheck } from './context';

const CHECK = 'domain';

function normalize(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/** Whether a certificate name (possibly `*.zone`) covers the host name. */
export function certificateCovers(certName: string, host: string): boolean {
  const cert = normalize(certName);
  const h = normalize(host);
  if (cert === h) return true;
  if (!cert.startsWith('*.')) return false;
  const rest = cert.slice(2);
  const dot = h.indexOf('.');
  return dot > 0 && h.slice(dot + 1) === rest;
}

/**
 * The application domain: with domain.certificateArn the certificate exists, is ISSUED and covers
 * domain.name (ACM DescribeCertificate); with a hosted zone, the zone exists, is public and its name
 * matches (Route 53 GetHostedZone). Without a domain the app stack cannot deploy (placeholder
 * certificate): an error for a production config, a warning otherwise.
 */
export const checkDomain: PreflightCheck = async (ctx) => {
  const { config, clients } = ctx;
  const domain = config.domain;
  const app = stackName(config, 'app');
  if (!domain) {
    const message =
      `environment '${config.envName}' has no domain, so stack ${app} cannot deploy (its HTTPS listener would use the ` +
      `placeholder certificate, which the load balancer rejects): set domain (name, and certificateArn or hostedZoneId + ` +
      `hostedZoneName) in ${CONFIG_FILE}`;
    return [config.production ? error(CHECK, message) : warning(CHECK, `${message}; every other stack deploys`)];
  }
  const findings: Finding[] = [];
  if (domain.certificateArn) {
    const arn = domain.certificateArn;
    const region = arn.split(':')[3] || config.region;
    try {
      const out = await clients.acm(region).send(new DescribeCertificateCommand({ CertificateArn: arn }));
      const cert = out.Certificate;
      const names = [cert?.DomainName, ...(cert?.SubjectAlternativeNames ?? [])].filter((n): n is string => !!n);
      if (cert?.Status !== 'ISSUED') {
        findings.push(
          error(
            CHECK,
            `domain.certificateArn = ${arn}: status ${cert?.Status ?? 'unknown'}, must be ISSUED (for PENDING_VALIDATION, ` +
              'create the DNS validation records ACM shows and wait; an expired or revoked one must be replaced)',
          ),
        );
      }
      if (!names.some((n) => certificateCovers(n, domain.name))) {
        findings.push(
          error(
            CHECK,
            `domain.certificateArn = ${arn}: covers ${names.join(', ') || 'no name'}, not domain.name '${domain.name}'; ` +
              'use a certificate for that name (or a wildcard of its parent)',
          ),
        );
      }
    } catch (e) {
      if (isError(e, 'ResourceNotFoundException')) {
        findings.push(
          error(
            CHECK,
            `domain.certificateArn = ${arn}: no such certificate in account ${config.account}, region ${region}`,
          ),
        );
      } else if (isError(e, 'InvalidArnException')) {
        findings.push(
          error(CHECK, `domain.certificateArn = ${arn}: not a valid certificate ARN (${describeError(e)})`),
        );
      } else throw e;
    }
  }
  if (domain.hostedZoneId) {
    try {
      const out = await clients.route53(config.region).send(new GetHostedZoneCommand({ Id: domain.hostedZoneId }));
      const zoneName = normalize(out.HostedZone?.Name ?? '');
      if (domain.hostedZoneName !== undefined && zoneName !== normalize(domain.hostedZoneName)) {
        findings.push(
          error(
            CHECK,
            `domain.hostedZoneName = '${domain.hostedZoneName}': hosted zone ${domain.hostedZoneId} is named '${zoneName}'`,
          ),
        );
      }
      const host = normalize(domain.name);
      if (host !== zoneName && !host.endsWith(`.${zoneName}`)) {
        findings.push(
          error(CHECK, `domain.name = '${domain.name}': not in hosted zone ${domain.hostedZoneId} ('${zoneName}')`),
        );
      }
      if (out.HostedZone?.Config?.PrivateZone) {
        findings.push(
          error(
            CHECK,
            `domain.hostedZoneId = ${domain.hostedZoneId}: a private hosted zone; ACM DNS validation and internet ` +
              'clients need the public zone of the domain',
          ),
        );
      }
    } catch (e) {
      if (isError(e, 'NoSuchHostedZone')) {
        findings.push(
          error(
            CHECK,
            `domain.hostedZoneId = ${domain.hostedZoneId}: no such hosted zone in account ${config.account}`,
          ),
        );
      } else throw e;
    }
  }
  return findings;
};
