/**
 * What is generated from the one schema (lib/config/schema.ts): the JSON Schema that editors use to complete
 * and check a JSON environment (lib/config/blueprint-config.schema.json), and the README's configuration
 * table (between the config markers). `npm run docs` writes both; tests fail when either is stale.
 */
import { z } from 'zod';
import { blueprintConfigSchema } from './schema';

/** Where the JSON Schema is written, relative to the project root. */
export const JSON_SCHEMA_FILE = 'lib/config/blueprint-config.schema.json';
/** The README markers around the generated configuration table. */
export const CONFIG_TABLE_MARKERS = { begin: '<!-- config:begin -->', end: '<!-- config:end -->' } as const;

/** The JSON Schema of one environment, as the file holds it. */
export function configJsonSchema(): string {
  const schema = z.toJSONSchema(blueprintConfigSchema, { target: 'draft-2020-12' }) as Record<string, unknown>;
  return `${JSON.stringify(
    {
      $id: 'https://github.com/hipaa-cdk-blueprint/blueprint-config.schema.json',
      title: 'HIPAA blueprint environment',
      description:
        'One environment of the HIPAA CDK blueprint. Generated from lib/config/schema.ts (npm run docs); cross-field rules (uniqueness, production requirements, routes, endpoints, names) are checked at synth.',
      ...schema,
    },
    null,
    2,
  )}\n`;
}

interface Row {
  readonly field: string;
  readonly description: string;
  readonly rule: string;
}

function metaOf(schema: z.ZodType): { description?: string; rule?: string } {
  return (schema.meta() ?? {}) as { description?: string; rule?: string };
}

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  while (
    s instanceof z.ZodOptional ||
    s instanceof z.ZodNullable ||
    s instanceof z.ZodReadonly ||
    s instanceof z.ZodDefault
  ) {
    s = (s._zod.def as unknown as { innerType: z.ZodType }).innerType;
  }
  return s;
}

function rowsOf(shape: Record<string, z.ZodType>, prefix: string): Row[] {
  return Object.entries(shape).flatMap(([key, field]) => {
    if (key === '$schema') return [];
    const meta = metaOf(field);
    const inner = unwrap(field);
    const optional = field instanceof z.ZodOptional;
    const name = `${prefix}${key}${optional ? '?' : ''}`;
    const element = inner instanceof z.ZodArray ? unwrap(inner.element as z.ZodType) : undefined;
    if (inner instanceof z.ZodObject) {
      return [
        { field: name, description: meta.description ?? '', rule: meta.rule ?? '' },
        ...rowsOf(inner.shape as Record<string, z.ZodType>, `${prefix}${key}.`),
      ];
    }
    if (element instanceof z.ZodObject) {
      return [
        { field: `${name}[]`, description: meta.description ?? '', rule: meta.rule ?? '' },
        ...rowsOf(element.shape as Record<string, z.ZodType>, `${prefix}${key}[].`),
      ];
    }
    return [{ field: name, description: meta.description ?? '', rule: meta.rule ?? '' }];
  });
}

/** The rows of the configuration table: every field of the schema, with its description and rule. */
export function configReferenceRows(): Row[] {
  return rowsOf(blueprintConfigSchema.shape as Record<string, z.ZodType>, '');
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The README block between the markers (markers included). */
export function configReferenceMarkdown(): string {
  const rows = configReferenceRows().map((r) => `| \`${r.field}\` | ${cell(r.description)} | ${cell(r.rule)} |`);
  return [
    CONFIG_TABLE_MARKERS.begin,
    '<!-- Generated from lib/config/schema.ts by `npm run docs`; edit the schema, not this table. -->',
    '',
    '| Field (`?` optional) | Meaning | Rule enforced before any construct exists |',
    '| --- | --- | --- |',
    ...rows,
    CONFIG_TABLE_MARKERS.end,
  ].join('\n');
}

/** `readme` with its configuration block replaced by the current one. */
export function withConfigReference(readme: string): string {
  const begin = readme.indexOf(CONFIG_TABLE_MARKERS.begin);
  const end = readme.indexOf(CONFIG_TABLE_MARKERS.end);
  if (begin < 0 || end < begin) {
    throw new Error(`README.md has no ${CONFIG_TABLE_MARKERS.begin} ... ${CONFIG_TABLE_MARKERS.end} block`);
  }
  return readme.slice(0, begin) + configReferenceMarkdown() + readme.slice(end + CONFIG_TABLE_MARKERS.end.length);
}
