import { readdirSync } from 'fs';
import { evidenceJson, evidenceText, synthesizedDir } from '../../support/synthesized';
import { GUARDDUTY_PROVIDER as PROVIDER, SynthVariant } from '../../support/synth-inputs';

/**
 * What the gate wrote for a config variant that the globalSetup synthesized with the gate on, once for the run
 * (test/support/synth-inputs.ts SYNTH_VARIANTS: this file's configs). synthesizedDir throws the gate's findings if the
 * synth failed: reading it is the check that the gate passed.
 */
function synth(variant: SynthVariant): {
  matrix: Record<string, unknown>;
  markdown: string;
  templates: string[];
} {
  return {
    matrix: evidenceJson<Record<string, unknown>>(variant, 'control-matrix.json'),
    markdown: evidenceText(variant, 'control-matrix.md'),
    templates: readdirSync(synthesizedDir(variant)).filter((f) => f.endsWith('.template.json')),
  };
}

describe('the control matrix names who provides a detection service switched off here', () => {
  test('D2 GuardDuty off with a provider: the gate passes and the matrix says who provides it', () => {
    const { matrix, markdown, templates } = synth('dev-guardduty-provided');
    expect(templates.some((f) => f.startsWith('DevDetection'))).toBe(true);
    expect(matrix.detectionServices).toEqual(
      expect.arrayContaining([
        { service: 'guardDuty', createdHere: false, providedBy: PROVIDER },
        { service: 'securityHub', createdHere: true },
      ]),
    );
    expect(markdown).toContain(`| guardDuty | no | ${PROVIDER} |`);
  });

  test('D2 every service off (no detection stack): the audit stack declares the decision, the gate passes', () => {
    const { matrix, templates } = synth('dev-detection-off');
    expect(templates.some((f) => f.startsWith('DevDetection'))).toBe(false);
    expect(matrix.detectionServices).toEqual(
      expect.arrayContaining([{ service: 'macie', createdHere: false, providedBy: 'environment dev' }]),
    );
  });
});
