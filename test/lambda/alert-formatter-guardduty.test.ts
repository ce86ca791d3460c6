import { formatAlert } from '../../lambda/alert-formatter/format';

// All data here is synthetic: account 123456789012, region us-east-1, fake ids, fake "PHI" canaries in object keys.

const KEY = 'patients/SYNTHETIC-PATIENT-NAME-ZZZ/rec-0001-ssn-000-00-0000.pdf';
const CANARIES = ['SYNTHETIC-PATIENT-NAME-ZZZ', 'rec-0001', '000-00-0000', 'patients/', '.pdf', 'ETAG-SECRET'];

function scanResult(status: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: '0',
    id: '11111111-2222-3333-4444-555555555555',
    'detail-type': 'GuardDuty Malware Protection Object Scan Result',
    source: 'aws.guardduty',
    account: '123456789012',
    time: '2026-11-30T00:00:00Z',
    region: 'us-east-1',
    resources: [`arn:aws:s3:::hipaa-prod-phi-data-123456789012-us-east-1/${KEY}`],
    detail: {
      schemaVersion: '1.0',
      scanStatus: 'COMPLETED',
      resourceType: 'S3_OBJECT',
      s3ObjectDetails: {
        bucketName: 'hipaa-prod-phi-data-123456789012-us-east-1',
        objectKey: KEY,
        eTag: 'ETAG-SECRET',
        versionId: 'v3rsion.Id_0001',
        s3Throttled: false,
      },
      scanResultDetails: {
        scanResultStatus: status,
        threats: status === 'THREATS_FOUND' ? [{ name: 'EICAR-Test-File (not a virus)', filePaths: [KEY] }] : null,
      },
      ...extra,
    },
  };
}

const printed = (alert: { subject: string; message: string }) => `${alert.subject}\n${alert.message}`;

describe('alert formatter: GuardDuty malware scans and runtime coverage (D2 -> D3)', () => {
  test.each(['THREATS_FOUND', 'UNSUPPORTED', 'ACCESS_DENIED', 'FAILED'])(
    'D3 a %s scan result names the bucket, version and result, never the object key',
    (status) => {
      const alert = formatAlert(scanResult(status));
      expect(alert.kind).toBe('malware-scan');
      expect(alert.severity).toBe(status === 'THREATS_FOUND' ? 'HIGH' : 'MEDIUM');
      expect(alert.subject).toContain(`Malware scan ${status} in bucket hipaa-prod-phi-data-123456789012-us-east-1`);
      expect(alert.message).toContain('Object version: v3rsion.Id_0001');
      expect(alert.message).toContain(`Scan result: ${status}`);
      for (const canary of CANARIES) expect(printed(alert)).not.toContain(canary);
      expect(alert.dropped).toEqual(
        expect.arrayContaining([
          'detail.s3ObjectDetails.objectKey',
          'detail.s3ObjectDetails.eTag',
          'resources[].objectKey',
        ]),
      );
    },
  );

  test('D3 threat names are shown (not PHI), the scanned file paths inside the object are not', () => {
    const alert = formatAlert(scanResult('THREATS_FOUND'));
    expect(alert.message).toContain('Threats: EICAR-Test-File (not a virus)');
    expect(alert.dropped).toContain('detail.scanResultDetails.threats[].filePaths');
  });

  test('D3 a post-scan action failure (object not tagged, so not quarantined) alerts HIGH without the key', () => {
    const event = scanResult('THREATS_FOUND');
    event['detail-type'] = 'GuardDuty Malware Protection Post Scan Action Failed';
    const alert = formatAlert(event);
    expect(alert.kind).toBe('malware-scan');
    expect(alert.severity).toBe('HIGH');
    expect(alert.subject).toContain('post-scan action failed');
    for (const canary of CANARIES) expect(printed(alert)).not.toContain(canary);
  });

  test('D3 a key planted in any other field is not printed either (invalid values are dropped by name)', () => {
    const alert = formatAlert(scanResult('FAILED', { scanStatus: KEY }));
    for (const canary of CANARIES) expect(printed(alert)).not.toContain(canary);
    expect(alert.dropped).toContain('detail.scanStatus');
    const bucket = scanResult('FAILED');
    (bucket.detail as { s3ObjectDetails: Record<string, unknown> }).s3ObjectDetails.bucketName = KEY;
    expect(printed(formatAlert(bucket))).not.toContain('SYNTHETIC-PATIENT-NAME-ZZZ');
  });

  test('D2 runtime coverage unhealthy: resource type, cluster and statuses; the free-text issue is not read', () => {
    const alert = formatAlert({
      version: '0',
      id: '11111111-2222-3333-4444-555555555556',
      'detail-type': 'GuardDuty Runtime Protection Unhealthy',
      source: 'aws.guardduty',
      account: '123456789012',
      time: '2026-11-30T00:00:00Z',
      region: 'us-east-1',
      resources: [],
      detail: {
        schemaVersion: '1.0',
        resourceAccountId: '123456789012',
        currentStatus: 'UNHEALTHY',
        previousStatus: 'HEALTHY',
        resourceDetails: { resourceType: 'ECS', ecsClusterDetails: { clusterName: 'hipaa-prod-phi' } },
        issue: 'Agent could not pull image for task of SYNTHETIC-PATIENT-NAME-ZZZ',
      },
    });
    expect(alert.kind).toBe('runtime-coverage');
    expect(alert.severity).toBe('HIGH');
    expect(alert.subject).toContain('GuardDuty runtime monitoring unhealthy for ECS cluster hipaa-prod-phi');
    expect(alert.message).toContain('Status: HEALTHY -> UNHEALTHY');
    expect(printed(alert)).not.toContain('SYNTHETIC-PATIENT-NAME-ZZZ');
    expect(alert.dropped).toContain('detail.issue');
  });
});
