import { Stack } from 'aws-cdk-lib';
import { Certificate, CertificateValidation, ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import { HostedZone } from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';

/** The application's domain: the name browsers use, and where its certificate comes from. */
export interface AppDomain {
  /** Fully qualified name of the application, e.g. app.example.org. */
  readonly name: string;
  /**
   * An existing ACM certificate ARN in the stack's region and account.
   * @default - none: a certificate is issued and DNS-validated in the hosted zone
   */
  readonly certificateArn?: string;
  /**
   * Route 53 hosted zone id in which a new certificate is DNS-validated (with hostedZoneName).
   * @default - none (certificateArn must be set)
   */
  readonly hostedZoneId?: string;
  /**
   * Name of the hosted zone hostedZoneId.
   * @default - none (certificateArn must be set)
   */
  readonly hostedZoneName?: string;
}

/** Props of an AppCertificate. */
export interface AppCertificateProps {
  /**
   * The application's domain: an existing ACM certificate ARN, or a hosted zone in which a new
   * certificate is DNS-validated.
   * @default - none: a placeholder that synthesizes but cannot deploy (see `deployable`)
   */
  readonly domain?: AppDomain;
}

/** The certificate ARN used when no domain is configured. Deploy fails on it, with this name in the error. */
export const PLACEHOLDER_CERTIFICATE_ID = 'config-domain-required-for-deploy';

/**
 * The TLS certificate of the application load balancer's HTTPS listener (safeguard E3).
 *
 * - `domain.certificateArn`: imported as is (Certificate.fromCertificateArn).
 * - `domain.hostedZoneId` + `hostedZoneName`: a new ACM certificate for `domain.name`, DNS-validated
 *   in that zone (HostedZone.fromHostedZoneAttributes: no lookup, synth stays offline).
 * - no domain (the dev default): an imported placeholder ARN whose id reads
 *   `config-domain-required-for-deploy`. Synth, tests and the gate run unchanged; `cdk deploy` of the
 *   app stack fails at the HTTPS listener with that ARN in CloudFormation's error. `deployable` is
 *   false and the app stack says so in its `DeployRequires` output. An HTTPS listener cannot exist
 *   without a certificate, and serving plain HTTP instead would break E3, so there is no fallback.
 */
export class AppCertificate extends Construct {
  public readonly certificate: ICertificate;
  /** False when the certificate is the placeholder. */
  public readonly deployable: boolean;
  /** The name browsers use, or undefined without a domain. */
  public readonly domainName?: string;

  constructor(scope: Construct, id: string, props: AppCertificateProps) {
    super(scope, id);
    const domain = props.domain;
    const stack = Stack.of(this);
    if (!domain) {
      this.deployable = false;
      this.certificate = Certificate.fromCertificateArn(
        this,
        'Placeholder',
        `arn:${stack.partition}:acm:${stack.region}:${stack.account}:certificate/${PLACEHOLDER_CERTIFICATE_ID}`,
      );
      return;
    }
    this.deployable = true;
    this.domainName = domain.name;
    if (domain.certificateArn !== undefined) {
      this.certificate = Certificate.fromCertificateArn(this, 'Imported', domain.certificateArn);
      return;
    }
    if (!domain.hostedZoneId || !domain.hostedZoneName) {
      throw new Error(
        `AppCertificate ${this.node.path}: domain.hostedZoneId = '${domain.hostedZoneId}', domain.hostedZoneName = '${domain.hostedZoneName}': both are needed to DNS-validate a certificate for ${domain.name} when no certificateArn is given`,
      );
    }
    const zone = HostedZone.fromHostedZoneAttributes(this, 'Zone', {
      hostedZoneId: domain.hostedZoneId,
      zoneName: domain.hostedZoneName,
    });
    this.certificate = new Certificate(this, 'Certificate', {
      domainName: domain.name,
      validation: CertificateValidation.fromDns(zone),
    });
  }
}
