import { readdirSync } from 'fs';
import {
  ELIGIBLE_LIST_DATE,
  eligibleIamPrefixes,
  eligibleServiceNames,
  eligibleServiceNotes,
  IAM_PREFIXES_FILE,
  parseServiceLine,
  REFERENCE_DIR,
  SERVICES_FILE,
} from '../../../../lib/compliance/gate/eligibility/eligible-services';

describe('eligible list', () => {
  test('date constant matches the one dated pair of reference files', () => {
    const dated = readdirSync(REFERENCE_DIR).filter((f) => /\d{4}-\d{2}-\d{2}\.txt$/.test(f));
    expect(dated.sort()).toEqual([
      `hipaa-eligible-iam-prefixes-${ELIGIBLE_LIST_DATE}.txt`,
      `hipaa-eligible-services-${ELIGIBLE_LIST_DATE}.txt`,
    ]);
    expect(SERVICES_FILE.endsWith(`-${ELIGIBLE_LIST_DATE}.txt`)).toBe(true);
    expect(IAM_PREFIXES_FILE.endsWith(`-${ELIGIBLE_LIST_DATE}.txt`)).toBe(true);
  });

  test('bracketed notes are stripped from names and kept as notes', () => {
    expect(parseServiceLine('AWS Fargate [ECS and EKS engines only]')).toEqual({
      name: 'AWS Fargate',
      note: 'ECS and EKS engines only',
    });
    expect(eligibleServiceNames.has('Amazon EventBridge')).toBe(true);
    expect(eligibleServiceNotes.get('Amazon EventBridge')).toBe('formerly Amazon Cloudwatch Events');
    expect(eligibleServiceNames.has('Alexa for Business')).toBe(true); // note has nested brackets
    expect(eligibleServiceNames.has('Amazon Aurora')).toBe(true);
    expect(eligibleServiceNotes.has('Amazon Aurora')).toBe(false);
    for (const name of eligibleServiceNames) expect(name).not.toMatch(/[[\]]/);
    expect(eligibleServiceNames.size).toBeGreaterThan(150);
  });

  test('IAM prefixes are parsed without the :* suffix', () => {
    expect(eligibleIamPrefixes.has('kms')).toBe(true);
    expect(eligibleIamPrefixes.has('cognito-idp')).toBe(true);
    for (const prefix of eligibleIamPrefixes) expect(prefix).toMatch(/^[a-z0-9-]+$/);
  });
});
