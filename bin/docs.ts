#!/usr/bin/env node
/**
 * `npm run docs`: regenerates what is derived from the config schema: lib/config/blueprint-config.schema.json
 * the README's configuration table and acknowledgement register table, SAFEGUARDS.md, and the RDS instance classes config accepts (read from aws-cdk-lib's
 * CloudFormation validation engine). Tests fail when any is stale.
 */
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { readSafeguardTestIndex } from '../lib/compliance/evidence/test-index';
import { renderSafeguardsDoc, SAFEGUARDS_DOC_FILE } from '../lib/compliance/evidence/safeguards-doc';
import { configJsonSchema, JSON_SCHEMA_FILE, withConfigReference } from '../lib/config/reference';
import { RDS_CLASSES_FILE, rdsInstanceClassesFromEngine } from '../lib/config/rds-instance-classes-source';
import { ENVIRONMENTS, loadConfig } from '../lib/config';
import { withRegisterTable } from '../lib/compliance/register/readme-table';

const root = join(__dirname, '..');
writeFileSync(join(root, JSON_SCHEMA_FILE), configJsonSchema());
const readme = join(root, 'README.md');
const names = Object.keys(ENVIRONMENTS);
writeFileSync(
  readme,
  withRegisterTable(
    withConfigReference(readFileSync(readme, 'utf8')),
    names.map((n) => loadConfig(n, ENVIRONMENTS)),
    names,
  ),
);
writeFileSync(join(root, SAFEGUARDS_DOC_FILE), renderSafeguardsDoc(readSafeguardTestIndex(root)));
writeFileSync(join(root, RDS_CLASSES_FILE), `${JSON.stringify(rdsInstanceClassesFromEngine(), null, 2)}\n`);
console.log(
  `Wrote ${JSON_SCHEMA_FILE}, ${SAFEGUARDS_DOC_FILE}, ${RDS_CLASSES_FILE} and the README configuration and register tables.`,
);
