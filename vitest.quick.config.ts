import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.ts';

/**
 * `npm run test:quick`: the suite without the tests that start processes of
 * their own (the AWS CLI, `npm start`, a DynamoDB Local of their own to stop
 * and restart, the real Lambda bundles) or hold load for minutes: the
 * edit-test loop's subset. What is slow is read from each test file itself,
 * so a new slow test is left out without anyone listing it here.
 */
const SLOW =
  /support\/aws-cli|support\/doc-reader|node:child_process|support\/npm-start|ownDynamoDb: true|bundle: true|load-hold/;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? testFiles(path) : path.endsWith('.test.ts') ? [path] : [];
  });
}

const slow = testFiles('test').filter((file) => SLOW.test(readFileSync(file, 'utf8')));

export default mergeConfig(base, defineConfig({ test: { exclude: [...slow, 'node_modules/**'] } }));
