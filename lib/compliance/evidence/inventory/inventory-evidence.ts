/**
 * The one call the evidence plugin makes: gathers what the templates do not say (stack names,
 * accounts, regions, the git commit, the config hash), builds the asset inventory and the network
 * map, and writes inventory.{json,md} and network-map.{json,mmd,svg} into the evidence folder.
 */
import { writeFileSync } from 'fs';
import { join } from 'path';
import { IPolicyValidationContext, Stack, Token } from 'aws-cdk-lib';
import { SynthesizedStack } from '../control-matrix';
import { buildAssetInventoryFromIndex } from './asset-inventory';
import { buildNetworkMapFromIndex } from './network-map';
import { renderDot } from './render-dot';
import { renderInventoryMarkdown } from './render-inventory-markdown';
import { renderMermaid } from './render-mermaid';
import { RenderSvgOptions } from './render-svg';
import { renderSvgCached } from './svg-cache';
import { buildStamp, readGitCommit, StampInput } from './stamp';
import { InventoryStack, TemplateIndex } from './template-index';

/** Files written, in the evidence folder. */
export const INVENTORY_FILES = [
  'inventory.json',
  'inventory.md',
  'network-map.json',
  'network-map.mmd',
  'network-map.svg',
] as const;

/** Input of writeInventoryEvidence. */
export interface InventoryEvidenceInput {
  /** The evidence folder (`<assembly>/compliance`), which must exist. */
  readonly outDir: string;
  /** The synthesized templates, with construct paths. */
  readonly stacks: readonly SynthesizedStack[];
  /** The validation context: stack names, accounts and regions come from it. */
  readonly context: Pick<IPolicyValidationContext, 'stackTemplates' | 'appConstruct'>;
  /**
   * The validated config (its envName, account and region; its hash).
   * @default - the stamp says 'unknown' for environment and config hash
   */
  readonly config?: StampInput['config'];
  /** A folder inside the git checkout the app is synthesized from. */
  readonly checkout: string;
  /**
   * Options of the SVG renderer.
   * @default - the renderer script next to render-svg.ts, run by this Node.js
   */
  readonly svg?: RenderSvgOptions;
}

/** What was written, and what the SVG cost. */
export interface InventoryEvidenceResult {
  readonly files: readonly string[];
  /** Milliseconds spent rendering the SVG (child process). */
  readonly svgMs: number;
  /** Milliseconds for everything, SVG included. */
  readonly totalMs: number;
}

const concrete = (v: string | undefined): string | undefined =>
  v !== undefined && !Token.isUnresolved(v) ? v : undefined;

/** The stacks with their CloudFormation names, accounts and regions from the construct tree. */
export function inventoryStacks(
  stacks: readonly SynthesizedStack[],
  context: Pick<IPolicyValidationContext, 'stackTemplates' | 'appConstruct'>,
): InventoryStack[] {
  const byPath = new Map<string, Stack>();
  for (const c of context.appConstruct?.node.findAll() ?? []) if (Stack.isStack(c)) byPath.set(c.node.path, c);
  return stacks.map((s) => {
    const stack = byPath.get(s.stackPath);
    const ctx = context.stackTemplates.find((t) => t.stackConstructPath === s.stackPath);
    const account = concrete(ctx?.accountId) ?? concrete(stack?.account);
    const region = concrete(ctx?.region) ?? concrete(stack?.region);
    return {
      ...s,
      ...(stack ? { stackName: stack.stackName } : {}),
      ...(account ? { account } : {}),
      ...(region ? { region } : {}),
    };
  });
}

/** Builds and writes the inventory and map. Throws (with the file and reason) when it cannot. */
export function writeInventoryEvidence(input: InventoryEvidenceInput): InventoryEvidenceResult {
  const started = Date.now();
  const stacks = inventoryStacks(input.stacks, input.context);
  const stamp = buildStamp({ config: input.config, stacks, gitCommit: readGitCommit(input.checkout) });
  const index = new TemplateIndex(stacks);
  const inventory = buildAssetInventoryFromIndex(index, stamp);
  const map = buildNetworkMapFromIndex(index, stamp);
  const json = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;
  const write = (file: (typeof INVENTORY_FILES)[number], text: string): string => {
    writeFileSync(join(input.outDir, file), text);
    return file;
  };
  const files = [
    write('inventory.json', json(inventory)),
    write('inventory.md', renderInventoryMarkdown(inventory)),
    write('network-map.json', json(map)),
    write('network-map.mmd', renderMermaid(map)),
  ];
  const svgStarted = Date.now();
  const svg = renderSvgCached(renderDot(map), input.svg);
  const svgMs = Date.now() - svgStarted;
  files.push(write('network-map.svg', svg));
  return { files, svgMs, totalMs: Date.now() - started };
}
