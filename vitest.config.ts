import { defineConfig } from 'vitest/config';
import { ENVIRONMENT } from './lambdas/environment.ts';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/dynamodb-global-setup.ts'],
    setupFiles: ['test/support/drop-tables.ts'],
    // Synth and real processes (DynamoDB Local, the AWS CLI) are slow to start, not slow to assert.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: { [ENVIRONMENT.logLevel]: 'error', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
