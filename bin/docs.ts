#!/usr/bin/env node
/**
 * `npm run docs`: regenerates what is derived from the config schema: lib/config/blueprint-config.schema.json
 * and the README's configuration table. Tests fail when either is stale.
 */
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { configJsonSchema, JSON_SCHEMA_FILE, withConfigReference } from '../lib/config/reference';

const root = join(__dirname, '..');
writeFileSync(join(root, JSON_SCHEMA_FILE), configJsonSchema());
const readme = join(root, 'README.md');
writeFileSync(readme, withConfigReference(readFileSync(readme, 'utf8')));
console.log(`Wrote ${JSON_SCHEMA_FILE} and the README configuration table.`);
