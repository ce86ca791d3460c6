import { describeError } from '../core/sdk-error';
import { verifyAlarms } from './alarms';
import { verifyAlertSubscriptions } from './alert-subscriptions';
import { verifyArchiveReplication } from './archive-replication';
import { verifyAuditLock } from './audit-lock';
import { verifyBackups } from './backups';
import { verifyConfigRules, verifyReplicaConfigRules } from './config-rules';
import { VerifyCheck, VerifyContext, VerifyRow } from './context';
import { verifyDetectionServices } from './detection-services';
import { verifyFindingsArchive } from './findings-archive';
import { verifyFindingsArchiveExport } from './findings-archive-export';
import { verifyKeyRotation } from './key-rotation';
import { verifyTrail } from './trail';

/** The verify checks, in the order of the table. */
export const VERIFY_CHECKS: ReadonlyArray<{
  readonly safeguard: string;
  readonly name: string;
  readonly run: VerifyCheck;
}> = [
  { safeguard: 'U1', name: 'CloudTrail', run: verifyTrail },
  { safeguard: 'U2', name: 'audit archive Object Lock', run: verifyAuditLock },
  { safeguard: 'E1', name: 'key rotation', run: verifyKeyRotation },
  { safeguard: 'D2', name: 'Config rule compliance', run: verifyConfigRules },
  { safeguard: 'D2', name: 'Config rule compliance in the PHI replica region', run: verifyReplicaConfigRules },
  { safeguard: 'D2', name: 'detection services', run: verifyDetectionServices },
  { safeguard: 'D2', name: 'findings archive', run: verifyFindingsArchive },
  { safeguard: 'D2', name: 'findings archive export path', run: verifyFindingsArchiveExport },
  { safeguard: 'I2', name: 'audit archives replication', run: verifyArchiveReplication },
  { safeguard: 'D1', name: 'alarms', run: verifyAlarms },
  { safeguard: 'D3', name: 'alert subscriptions', run: verifyAlertSubscriptions },
  { safeguard: 'I1', name: 'backup jobs', run: verifyBackups },
];

/** Runs every check; a check that cannot run is a FAIL row naming the SDK error (never a silent pass). */
export async function runVerify(ctx: VerifyContext, checks = VERIFY_CHECKS): Promise<VerifyRow[]> {
  const rows: VerifyRow[] = [];
  for (const check of checks) {
    try {
      rows.push(...(await check.run(ctx)));
    } catch (e) {
      rows.push({
        safeguard: check.safeguard,
        check: check.name,
        status: 'FAIL',
        detail: `could not check: ${describeError(e)}`,
      });
    }
  }
  return rows;
}

/** The rows as a plain-text table (safeguard, check, status, detail). */
export function renderTable(rows: readonly VerifyRow[]): string {
  const header: VerifyRow = { safeguard: 'SAFEGUARD', check: 'CHECK', status: 'PASS', detail: 'DETAIL' };
  const checkWidth = Math.min(60, Math.max(...[header, ...rows].map((r) => r.check.length)));
  const line = (r: VerifyRow, status: string): string =>
    `${r.safeguard.padEnd(9)}  ${r.check.padEnd(checkWidth)}  ${status.padEnd(6)}  ${r.detail}`;
  return [line(header, 'STATUS'), ...rows.map((r) => line(r, r.status))].join('\n');
}
