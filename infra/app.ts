import { App } from 'aws-cdk-lib';
import { ContextError } from './app-context';
import { addJobsAppFromContext } from './jobs-app';

// What `cdk` runs (cdk.json), with the settings of `-c` (`cdk deploy -c sweepIntervalMinutes=5`, ...: see
// addJobsAppFromContext). Synthesized only once they are read: a wrong one leaves no assembly to any cdk command.
const app = new App({ autoSynth: false });
try {
  addJobsAppFromContext(app, { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION });
  app.synth();
} catch (error) {
  if (!(error instanceof ContextError)) throw error;
  // The deployer's mistake, in one line: the cdk CLI shows the app's stderr as it is, and a trace would bury it.
  console.error(error.message);
  process.exitCode = 1;
}
