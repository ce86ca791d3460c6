/**
 * cdk-nag's own JavaScript, read by the tests that pin what the project assumes about its rules: how they import
 * aws-cdk-lib's L1 classes (test/bin/lazy-l1.test.ts) and which of those classes they test
 * (test/compliance/gate/core/nag-tested-l1.test.ts).
 */
import { readdirSync, readFileSync } from 'fs';
import { dirname, join } from 'path';

/** The source of every JavaScript file of cdk-nag's lib folder, by path. */
export function cdkNagSources(): Map<string, string> {
  const sources = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name.endsWith('.js')) sources.set(join(dir, e.name), readFileSync(join(dir, e.name), 'utf8'));
    }
  };
  walk(join(dirname(require.resolve('cdk-nag/package.json')), 'lib'));
  return sources;
}

/**
 * The aws-cdk-lib L1 classes cdk-nag's rules name (`NAME.CfnX` where `const NAME = require("aws-cdk-lib/SERVICE")`),
 * as `aws-cdk-lib/SERVICE.CfnX`.
 */
export function cdkNagL1Classes(): Set<string> {
  const classes = new Set<string>();
  for (const text of cdkNagSources().values()) {
    for (const [, name, module] of text.matchAll(
      /^const ([A-Za-z0-9_$]+) = require\("(aws-cdk-lib\/[a-z0-9-]+)"\)/gm,
    )) {
      for (const [, cls] of text.matchAll(new RegExp(`\\b${name!.replace(/\$/g, '\\$')}\\.(Cfn[A-Za-z0-9]+)`, 'g'))) {
        classes.add(`${module}.${cls}`);
      }
    }
  }
  return classes;
}
