/** inventory.md: the asset inventory for people. Generated at synth; never edited by hand. */
import { AssetInventory, InventoryAsset } from './asset-inventory';
import { EvidenceStamp } from './stamp';

const cell = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const cells = (lines: readonly string[]): string => (lines.length ? lines.map(cell).join('<br>') : '-');

/** The stamp as a Markdown table. */
export function stampTable(s: EvidenceStamp): string[] {
  return [
    '| Environment | Account | Region | Git commit | Config hash |',
    '| --- | --- | --- | --- | --- |',
    `| ${cell(s.environment)} | ${cell(s.account)} | ${cell(s.region)} | ${cell(s.gitCommit)} | ${cell(s.configHash)} |`,
    '',
  ];
}

function backupCell(a: InventoryAsset): string {
  if (!a.backup.supported) return cells(a.backup.notes.length ? ['n/a', ...a.backup.notes] : ['n/a']);
  const lines = a.backup.covered
    ? a.backup.assignments.map((x) => `yes: ${x.selection} (${x.detail}; ${x.rules.join(', ') || 'no rules'})`)
    : ['**no**'];
  return cells([...lines, ...a.backup.notes]);
}

function encryptionCell(a: InventoryAsset): string {
  return cell(a.encryption.status === 'not-assessed' ? '-' : `${a.encryption.status}: ${a.encryption.summary}`);
}

/** Renders inventory.md. */
export function renderInventoryMarkdown(inv: AssetInventory): string {
  const { summary } = inv;
  const out: string[] = [
    '# Technology asset inventory',
    '',
    '_Generated at synth from the synthesized templates by lib/compliance/evidence/inventory. Do not edit: change the app and synthesize again._',
    '',
    ...stampTable(inv.stamp),
    'One row per resource of every template (the proposed HIPAA Security Rule update of January 2025 would require this',
    'inventory, with the network map, to be reviewed at least every 12 months: proposed 164.308(a)(1)(ii)(A)).',
    '"PHI store" is the template marker `Metadata["HipaaBlueprint::PhiStore"] = true`. Encryption keys are followed',
    'through Ref, Fn::GetAtt, Fn::GetStackOutput and aliases to the KMS key resource; a reference that cannot be',
    'followed is listed as unresolved. Backup coverage is computed from AWS::Backup::BackupSelection resources',
    '(Resources ARNs, ListOfTags and Conditions matched against template tags, same account and region only).',
    '',
    '## Summary',
    '',
    `- Resources: ${summary.resources} in ${summary.stacks.length} stacks (${summary.stacks.map((s) => `${s.stack} ${s.resources}`).join(', ')}).`,
    `- PHI stores: ${summary.phiStores.length ? summary.phiStores.map((p) => `\`${p}\``).join(', ') : '**none marked**'}.`,
    `- PHI stores without backup coverage: ${summary.phiStoresWithoutBackup.length ? summary.phiStoresWithoutBackup.map((p) => `\`${p}\``).join(', ') : 'none'}.`,
    `- PHI stores of a type AWS Backup does not protect: ${summary.phiStoresOutsideAwsBackup.length ? summary.phiStoresOutsideAwsBackup.map((p) => `\`${p}\``).join(', ') : 'none'}.`,
    `- Encryption at rest: ${Object.entries(summary.byEncryption)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}.`,
    `- Unresolved key references: ${summary.unresolvedKeys.length ? '' : 'none.'}`,
    ...summary.unresolvedKeys.map((u) => `  - ${u}`),
    `- Not listed: ${summary.excluded.length ? summary.excluded.map((e) => `${e.type} x${e.count} (${e.reason})`).join('; ') : 'nothing'}.`,
    '',
  ];

  const stores = inv.assets.filter(
    (a) => a.encryption.status !== 'not-assessed' && a.encryption.status !== 'key-itself',
  );
  out.push(
    '## Data stores',
    '',
    'Resources that hold data at rest (types whose encryption the inventory reads).',
    '',
    '| Resource | Type | PHI store | Encryption at rest | Retention | On delete / replace | Backup |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...stores.map(
      (a) =>
        `| ${cell(`${a.stack}/${a.logicalId}`)} | ${cell(a.type)} | ${a.phiStore ? '**yes**' : 'no'} | ${encryptionCell(a)} | ${cells(a.retention)} | ${cell(`${a.deletionPolicy} / ${a.updateReplacePolicy}`)} | ${backupCell(a)} |`,
    ),
    '',
  );

  const keys = inv.assets.filter((a) => a.type === 'AWS::KMS::Key');
  out.push('## Keys and what uses them', '', '| Key | Used by |', '| --- | --- |');
  for (const k of keys) {
    const users = inv.assets.filter((a) =>
      a.encryption.keys.some(
        (u) => u.key.kind === 'customer-managed' && u.key.stack === k.stack && u.key.logicalId === k.logicalId,
      ),
    );
    out.push(
      `| ${cell(`${k.stack}/${k.logicalId}: ${k.encryption.summary}`)} | ${cells(users.map((u) => `${u.stack}/${u.logicalId} (${u.type})`))} |`,
    );
  }
  out.push('');

  out.push('## All resources, by stack', '');
  for (const s of summary.stacks) {
    out.push(
      `### ${s.stack}${s.stackName ? ` (${s.stackName}${s.region ? `, ${s.region}` : ''})` : ''}: ${s.resources} resources`,
      '',
      '| Logical id | Construct path | Type | Service | PHI | Encryption | Retention | On delete | Backup | Safeguards |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const a of inv.assets.filter((x) => x.stack === s.stack)) {
      out.push(
        `| ${cell(a.logicalId)} | ${cell(a.constructPath ?? '-')} | ${cell(a.type)} | ${cell(a.service)} | ${a.phiStore ? '**yes**' : 'no'} | ${encryptionCell(a)} | ${cells(a.retention)} | ${cell(a.deletionPolicy)} | ${a.backup.supported || a.backup.notes.length ? backupCell(a) : '-'} | ${cell(a.safeguards.join(', ') || '-')} |`,
      );
    }
    out.push('');
  }
  return `${out.join('\n')}\n`;
}
