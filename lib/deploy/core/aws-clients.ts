import { ACMClient } from '@aws-sdk/client-acm';
import { BackupClient } from '@aws-sdk/client-backup';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { ECRClient } from '@aws-sdk/client-ecr';
import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { IAMClient } from '@aws-sdk/client-iam';
import { Inspector2Client } from '@aws-sdk/client-inspector2';
import { KMSClient } from '@aws-sdk/client-kms';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { Macie2Client } from '@aws-sdk/client-macie2';
import { RDSClient } from '@aws-sdk/client-rds';
import { Route53Client } from '@aws-sdk/client-route-53';
import { S3Client } from '@aws-sdk/client-s3';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient, STSClientConfig } from '@aws-sdk/client-sts';

/** Credentials every client uses: a provider (resolved once and shared) or fixed credentials. */
export type ClientCredentials = NonNullable<STSClientConfig['credentials']>;

/** Options shared by every client the commands create. */
export interface AwsClientsOptions {
  /**
   * One credential provider for every client, so the chain runs once (one SSO or MFA prompt) and its
   * timeouts are the ones bin/ chose (fail fast without credentials, no long metadata probing).
   * @default - the SDK's default chain, per client
   */
  readonly credentials?: ClientCredentials;
  /**
   * Attempts per call, including the first (SDK standard retry mode).
   * @default 3
   */
  readonly maxAttempts?: number;
  /**
   * One endpoint for every client instead of the services' own. Tests set an address that refuses
   * connections, so a call no mock answers fails locally and can never reach AWS.
   * @default - each service's regional endpoint
   */
  readonly endpoint?: string;
}

interface ClientCtor<T> {
  new (config: {
    region: string;
    credentials?: ClientCredentials;
    maxAttempts?: number;
    endpoint?: string;
    followRegionRedirects?: boolean;
  }): T;
}

/**
 * The AWS SDK clients of the deploy commands, created on first use per region and reused. Tests use
 * aws-sdk-client-mock on the client classes and give fixed fake credentials, so no test reaches the
 * real credential chain or AWS.
 */
export class AwsClients {
  private readonly cache = new Map<string, unknown>();

  constructor(private readonly options: AwsClientsOptions = {}) {}

  public sts(region: string): STSClient {
    return this.get(STSClient, region);
  }
  public cloudFormation(region: string): CloudFormationClient {
    return this.get(CloudFormationClient, region);
  }
  public ssm(region: string): SSMClient {
    return this.get(SSMClient, region);
  }
  /** IAM is global; any region of the partition resolves its endpoint. */
  public iam(region: string): IAMClient {
    return this.get(IAMClient, region);
  }
  public lambda(region: string): LambdaClient {
    return this.get(LambdaClient, region);
  }
  public guardDuty(region: string): GuardDutyClient {
    return this.get(GuardDutyClient, region);
  }
  public securityHub(region: string): SecurityHubClient {
    return this.get(SecurityHubClient, region);
  }
  public macie(region: string): Macie2Client {
    return this.get(Macie2Client, region);
  }
  public configService(region: string): ConfigServiceClient {
    return this.get(ConfigServiceClient, region);
  }
  public acm(region: string): ACMClient {
    return this.get(ACMClient, region);
  }
  /** Route 53 is global; any region of the partition resolves its endpoint. */
  public route53(region: string): Route53Client {
    return this.get(Route53Client, region);
  }
  /** Follows S3's region redirects: a bucket may live in another region than the client's. */
  public s3(region: string): S3Client {
    return this.get(S3Client, region, { followRegionRedirects: true });
  }
  public ecr(region: string): ECRClient {
    return this.get(ECRClient, region);
  }
  public backup(region: string): BackupClient {
    return this.get(BackupClient, region);
  }
  public rds(region: string): RDSClient {
    return this.get(RDSClient, region);
  }
  public logs(region: string): CloudWatchLogsClient {
    return this.get(CloudWatchLogsClient, region);
  }
  public cloudTrail(region: string): CloudTrailClient {
    return this.get(CloudTrailClient, region);
  }
  public kms(region: string): KMSClient {
    return this.get(KMSClient, region);
  }
  public cloudWatch(region: string): CloudWatchClient {
    return this.get(CloudWatchClient, region);
  }
  public inspector(region: string): Inspector2Client {
    return this.get(Inspector2Client, region);
  }
  public sns(region: string): SNSClient {
    return this.get(SNSClient, region);
  }

  private get<T>(ctor: ClientCtor<T>, region: string, extra: { followRegionRedirects?: boolean } = {}): T {
    const key = `${ctor.name}/${region}`;
    let client = this.cache.get(key) as T | undefined;
    if (client === undefined) {
      client = new ctor({
        region,
        ...(this.options.credentials !== undefined ? { credentials: this.options.credentials } : {}),
        maxAttempts: this.options.maxAttempts ?? 3,
        ...(this.options.endpoint !== undefined ? { endpoint: this.options.endpoint } : {}),
        ...extra,
      });
      this.cache.set(key, client);
    }
    return client;
  }
}
