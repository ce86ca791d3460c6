/** Types of app-node-options.js (plain JavaScript: jest.config.js loads it before tsx). */
/** The options of `app` (a cdk.json app command) that Node.js itself takes, in order. */
export function nodeOptionsOf(app: string): string[];
/** The Node.js options of this project's cdk.json app command. */
export function appNodeOptions(): string[];
/** The words of cdk.json's app command after `node`: what `cdk synth` runs Node.js with, in the project folder. */
export function appCommandArgs(): string[];
/** The words after `node` of package.json's script `name`: what `npm run NAME` runs Node.js with, in the project folder. */
export function scriptCommandArgs(name: string): string[];
