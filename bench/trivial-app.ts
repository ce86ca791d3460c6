#!/usr/bin/env node
/**
 * The baseline of `npm run bench`: a CDK app with one S3 bucket, synthesized the same way as the
 * blueprint: with the runner and Node.js flags of cdk.json's app
 * (`npx cdk synth --app "node --no-concurrent-marking bin/run-app.js bench/trivial-app.ts" -o DIR`).
 * Reads nothing.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';

const app = new App();
new Bucket(new Stack(app, 'TrivialBench'), 'Bucket');
app.synth();
