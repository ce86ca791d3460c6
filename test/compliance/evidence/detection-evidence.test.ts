import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import { buildTestBlueprint, testConfig } from '../../support/blueprint';
import { scratchDir } from '../../support/scratch';

const PROVIDER = 'Control Tower GuardDuty delegated administrator';

function synth(detection: Record<string, unknown>): {
  matrix: Record<string, unknown>;
  markdown: string;
  templates: string[];
} {
  const outdir = scratchDir('detection-evidence-');
  const { app } = buildTestBlueprint(testConfig('dev', { detection } as never), { compliance: true, outdir });
  app.synth();
  return {
    matrix: JSON.parse(readFileSync(join(outdir, 'compliance', 'control-matrix.json'), 'utf8')) as Record<
      string,
      unknown
    >,
    markdown: readFileSync(join(outdir, 'compliance', 'control-matrix.md'), 'utf8'),
    templates: readdirSync(outdir).filter((f) => f.endsWith('.template.json')),
  };
}

describe('the control matrix names who provides a detection service switched off here', () => {
  test('D2 GuardDuty off with a provider: the gate passes and the matrix says who provides it', () => {
    const { matrix, markdown } = synth({ guardDuty: false, providedBy: PROVIDER });
    expect(matrix.detectionServices).toEqual(
      expect.arrayContaining([
        { service: 'guardDuty', createdHere: false, providedBy: PROVIDER },
        { service: 'securityHub', createdHere: true },
      ]),
    );
    expect(markdown).toContain(`| guardDuty | no | ${PROVIDER} |`);
  });

  test('D2 every service off (no detection stack): the audit stack declares the decision, the gate passes', () => {
    const { matrix, templates } = synth({
      config: false,
      guardDuty: false,
      securityHub: false,
      macie: false,
      inspector: false,
      // Malware Protection for S3 is per bucket and on by default, even with GuardDuty off: off too, for no stack.
      malwareProtection: false,
      providedBy: 'environment dev',
    });
    expect(templates.some((f) => f.startsWith('DevDetection'))).toBe(false);
    expect(matrix.detectionServices).toEqual(
      expect.arrayContaining([{ service: 'macie', createdHere: false, providedBy: 'environment dev' }]),
    );
  });
});
