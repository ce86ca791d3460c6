/**
 * Regenerates the committed JSON Schema from the zod schema:
 * `npx tsx services/sample-api/src/access-audit/write-json-schema.ts` (then `npx prettier --write` it).
 * test/services/sample-api/access-audit-event.test.ts fails while the committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { accessAuditJsonSchema } from './access-audit-event';

/** The committed JSON Schema of format v1, next to FORMAT.md. */
export const JSON_SCHEMA_PATH = join(__dirname, 'access-audit-event.v1.schema.json');

if (require.main === module) {
  writeFileSync(JSON_SCHEMA_PATH, `${JSON.stringify(accessAuditJsonSchema(), null, 2)}\n`);
  process.stdout.write(`wrote ${JSON_SCHEMA_PATH}\n`);
}
