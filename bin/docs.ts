#!/usr/bin/env node
/**
 * `npm run docs`: regenerates what is derived from the config schema: lib/config/blueprint-config.schema.json
 * the README's configuration table and SAFEGUARDS.md. Tests fail when any is stale.
 */
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { readSafeguardTestIndex } from '../lib/compliance/evidence/test-index';
import { renderSafeguardsDoc, SAFEGUARDS_DOC_FILE } from '../lib/compliance/evidence/safeguards-doc';
import { configJsonSchema, JSON_SCHEMA_FILE, withConfigReference } from '../lib/config/reference';

const root = join(__dirname, '..');
writeFileSync(join(root, JSON_SCHEMA_FILE), configJsonSchema());
const readme = join(root, 'README.md');
writeFileSync(readme, withConfigReference(readFileSync(readme, 'utf8')));
writeFileSync(join(root, SAFEGUARDS_DOC_FILE), renderSafeguardsDoc(readSafeguardTestIndex(root)));
console.log(`Wrote ${JSON_SCHEMA_FILE}, ${SAFEGUARDS_DOC_FILE} and the README configuration table.`);
