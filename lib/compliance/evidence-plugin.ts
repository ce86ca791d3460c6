import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import { basename, dirname, join } from 'path';
import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { BlueprintConfig } from '../config/schema';
import { AcknowledgementMatch } from './register';
import { checkTemplateTypes } from './gate/eligibility/eligibility-rule';
import { renderEligibilityScp } from './gate/eligibility/scp';
import { buildScpSet } from './gate/scps/scp-set';
import {
  buildAcknowledgementEvidence,
  buildControlMatrix,
  CfnTemplate,
  SynthesizedStack,
} from './evidence/control-matrix';
import { writeInventoryEvidence } from './evidence/inventory/inventory-evidence';
import { renderAcknowledgementsMarkdown, renderControlMatrixMarkdown } from './evidence/render-markdown';
import { RuleLedger } from './evidence/rule-ledger';
import { projectRoot, readSafeguardTestIndex } from './evidence/test-index';
import { AssemblyCheckResult } from './gate/assembly';
import { BlueprintAssemblyChecks, treeResources } from './gate/assembly-plugin';
import { UNREGISTERED_ACKNOWLEDGEMENT } from './gate/environment-register';
import { detectionDeclaration } from './gate/assembly/detection-services-present';
import { TemplateJson } from './gate/core/template-json';
import { summarizeGate, writeGateSummary } from './gate/gate-summary';
import { RuleEvaluation } from './evidence/rule-ledger';

/** Folder inside the cloud assembly that receives the evidence. */
export const EVIDENCE_DIR = 'compliance';

/** Folder inside the evidence that receives the service control policies of the environment. */
export const SCP_DIR = 'service-control-policies';

/** Props of the evidence plugin. */
export interface SafeguardEvidencePluginProps {
  /** Ledger instrumenting the rule packs registered before this plugin. */
  readonly ledger: RuleLedger;
  /** What the acknowledgement register matched (applyAcknowledgements' result). */
  readonly acknowledgements: readonly AcknowledgementMatch[];
  /**
   * Root folder holding the test index Jest writes (test/safeguard-tests.json).
   * @default the project root (nearest package.json above this file)
   */
  readonly projectRoot?: string;
  /**
   * The validated config: names the environment on the asset inventory and network map, and is
   * hashed into their stamp.
   * @default - the stamp says 'unknown' for the environment and the config hash
   */
  readonly config?: BlueprintConfig;
  /**
   * The assembly rules' plugin, registered before this one: its findings and evaluations go into the control
   * matrix and the gate summary.
   * @default - the evidence covers the rule packs only
   */
  readonly assembly?: BlueprintAssemblyChecks;
}

/**
 * The assembly rules' last result as ledger evaluations: each finding a violation on its resource (construct path
 * from the template's aws:cdk:path, else the stack), each other judged fact a pass.
 */
export function assemblyEvaluations(result: AssemblyCheckResult | undefined): RuleEvaluation[] {
  if (result === undefined) return [];
  const out: RuleEvaluation[] = [];
  for (const { rule, evaluated } of result.rules) {
    const ruleId = `Blueprint-${rule.name}`;
    const base = {
      pack: 'BlueprintAssembly',
      ruleId,
      hipaaSections: [...rule.hipaaSections],
      safeguards: [...rule.safeguards],
    };
    const findings = result.findings.filter((f) => f.ruleId.startsWith(`${ruleId}[`));
    for (const f of findings) {
      const resource = f.logicalId !== undefined ? f.stack.template.Resources[f.logicalId] : undefined;
      const path = resource?.Metadata?.['aws:cdk:path'];
      out.push({
        ...base,
        constructPath: typeof path === 'string' ? path : (f.stack.path ?? f.stack.stackName),
        outcome: 'violation',
        findingIds: [f.ruleId],
      });
    }
    for (let i = findings.length; i < evaluated; i++) {
      out.push({ ...base, constructPath: '', outcome: 'pass', findingIds: [] });
    }
  }
  return out;
}

/**
 * Validation plugin (safeguard V2) that writes the evidence into the cloud assembly at every synth:
 * `compliance/control-matrix.{json,md}`, `compliance/acknowledgements.{json,md}`,
 * `compliance/eligibility.json`, `compliance/hipaa-eligibility-scp.json`, the SCP set
 * (`compliance/service-control-policies/*.json`, with a config), the asset inventory
 * (`compliance/inventory.{json,md}`) and the network map (`compliance/network-map.{json,mmd,svg}`). Register it after the
 * rule packs (it reads their recorded evaluations). It never fails synth, except when it cannot
 * write the evidence.
 */
export class SafeguardEvidencePlugin implements IPolicyValidationPlugin {
  public readonly name = 'HipaaEvidence';
  public readonly ruleIds = ['EvidenceWritten'];

  constructor(private readonly props: SafeguardEvidencePluginProps) {}

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    try {
      this.write(context);
      return { success: true, violations: [] };
    } catch (e) {
      return {
        success: false,
        violations: [
          {
            ruleName: 'EvidenceWritten',
            description: `The compliance evidence could not be written: ${(e as Error).message}`,
            fix: 'Make the cloud assembly folder writable and synthesize again.',
            severity: 'error',
            violatingResources: [],
          },
        ],
      };
    }
  }

  /** Builds and writes the evidence; returns the folder written, or undefined when there is no template. */
  public write(context: IPolicyValidationContext): string | undefined {
    const first = context.stackTemplates[0]?.templatePath ?? context.templatePaths[0];
    if (first === undefined) return undefined;
    const outDir = join(dirname(first), EVIDENCE_DIR);
    const paths = treeResources(context.appConstruct).paths;
    const stacks: SynthesizedStack[] = context.stackTemplates.map((s) => ({
      stackPath: s.stackConstructPath,
      templateFile: basename(s.templatePath),
      template: withConstructPaths(
        JSON.parse(readFileSync(s.templatePath, 'utf8')) as CfnTemplate,
        paths.get(s.stackConstructPath),
      ),
    }));
    if (this.props.assembly) {
      this.props.ledger.recordExternal('BlueprintAssembly', [
        ...assemblyEvaluations(this.props.assembly.lastResult),
        ...this.props.assembly.lastUnregistered.map((u) => ({
          pack: 'BlueprintAssembly',
          ruleId: UNREGISTERED_ACKNOWLEDGEMENT,
          constructPath: u.constructPath ?? u.stack.path ?? u.stack.stackName,
          outcome: 'violation' as const,
          findingIds: [`${UNREGISTERED_ACKNOWLEDGEMENT}[${u.ruleId}]`],
          hipaaSections: ['164.316(b)(1)'],
          safeguards: ['V2'],
        })),
      ]);
    }
    const evaluations = this.props.ledger.evaluations();
    const declared = detectionDeclaration(
      stacks.map((s) => ({
        stackName: s.stackPath,
        file: s.templateFile,
        template: s.template as unknown as TemplateJson,
      })),
    );
    const detectionServices = declared
      ? Object.entries(declared.services).map(([service, on]) => ({
          service,
          createdHere: on !== false,
          ...(on === false && declared.providedBy !== undefined ? { providedBy: declared.providedBy } : {}),
        }))
      : undefined;
    const matrix = buildControlMatrix({
      detectionServices,
      stacks,
      evaluations,
      packs: this.props.ledger.packs,
      tests: readSafeguardTestIndex(this.props.projectRoot ?? projectRoot()),
    });
    const acks = buildAcknowledgementEvidence({ matches: this.props.acknowledgements, stacks, evaluations });
    const types = new Map<string, Set<string>>();
    for (const s of stacks) {
      for (const r of Object.values(s.template.Resources ?? {})) {
        types.set(r.Type, (types.get(r.Type) ?? new Set()).add(s.stackPath));
      }
    }
    const eligibility = checkTemplateTypes([...types.keys()].sort()).map((t) => ({
      ...t,
      stacks: [...(types.get(t.type) ?? [])].sort(),
    }));

    mkdirSync(outDir, { recursive: true });
    const json = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;
    writeFileSync(join(outDir, 'control-matrix.json'), json(matrix));
    writeFileSync(join(outDir, 'control-matrix.md'), renderControlMatrixMarkdown(matrix));
    writeFileSync(join(outDir, 'acknowledgements.json'), json(acks));
    writeFileSync(join(outDir, 'acknowledgements.md'), renderAcknowledgementsMarkdown(acks));
    writeFileSync(join(outDir, 'eligibility.json'), json(eligibility));
    writeFileSync(join(outDir, 'hipaa-eligibility-scp.json'), `${renderEligibilityScp()}\n`);
    if (this.props.config) {
      // V1 U6: the SCP set the organization attaches (eligible services, allowed regions, tamper protection).
      const scpDir = join(outDir, SCP_DIR);
      mkdirSync(scpDir, { recursive: true });
      for (const scp of buildScpSet(this.props.config)) writeFileSync(join(scpDir, scp.file), `${scp.json}\n`);
    }
    const checkout = this.props.projectRoot ?? projectRoot();
    writeInventoryEvidence({ outDir, stacks, context, config: this.props.config, checkout });
    // Last: the gate's own account of this synth (synth prints it on success; 'failed' when any finding stands).
    writeGateSummary(outDir, summarizeGate(this.props.ledger.packs, evaluations));
    return outDir;
  }
}

/**
 * The template with each resource's construct path from the tree (`treePaths`, by logical id) in its aws:cdk:path
 * metadata: the tree's path wins over the template's own (absent without path metadata, forgeable by an override).
 */
function withConstructPaths(template: CfnTemplate, treePaths: ReadonlyMap<string, string> | undefined): CfnTemplate {
  const resources = Object.fromEntries(
    Object.entries(template.Resources ?? {}).map(([id, r]) => {
      const path = treePaths?.get(id);
      return [id, path === undefined ? r : { ...r, Metadata: { ...r.Metadata, 'aws:cdk:path': path } }];
    }),
  );
  return { ...template, Resources: resources };
}
