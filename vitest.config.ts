import { defineConfig } from 'vitest/config';
import { ENVIRONMENT } from './lambdas/environment.ts';
import { SlowestFirstSequencer } from './test/support/slowest-first-sequencer.ts';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/dynamodb-global-setup.ts'],
    setupFiles: ['test/support/drop-tables.ts'],
    // Synth and real processes (DynamoDB Local, the AWS CLI) are slow to start, not slow to assert.
    testTimeout: 60_000,
    // Two files at a time: the tests wait on DynamoDB Local and child processes as much as they compute, so two
    // use a two-core machine better than one (the suite took 1,074 s in one worker, 863 s in two).
    maxWorkers: 2,
    hookTimeout: 120_000,
    sequence: { sequencer: SlowestFirstSequencer },
    // The Lambda bundles that test/infra/bundles.test.ts loads from synth's cdk.out are run as Node runs them: vite's
    // transform of 78 minified bundles (900 KB each) cost 108 s user alone, to no purpose.
    server: { deps: { external: [/\/asset\.[0-9a-f]{64}\/index\.mjs$/] } },
    env: { [ENVIRONMENT.logLevel]: 'error', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
