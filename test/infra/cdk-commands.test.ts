import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContextError } from '../../infra/app-context';
import { addJobsAppFromContext } from '../../infra/jobs-app';
import { CDK_JSON_CONTEXT } from '../support/synth';

/**
 * The app as the cdk CLI runs it (infra/app.ts, with cdk.json): `npx cdk bootstrap` works without the device
 * settings, `cdk synth` and `cdk deploy` refuse without them, a wrong setting is one line without a stack trace,
 * and cdk.json decides every feature flag.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENV = { account: '123456789012', region: 'us-east-1' };
const MISSING = /Devices authenticate with mutual TLS: pass -c deviceDomainName=\.\.\. .*-c deviceAccess=open/;
const DEVICE_SETTINGS = {
  deviceDomainName: 'devices.example.com',
  deviceCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
  deviceTruststoreUri: 's3://example-truststore/device-ca.pem',
};
const STACK_TRACE = /^\s+at /m;

/** Feature flags cdk.json sets otherwise than the CLI recommends, and why; every other takes the recommendation. */
const DECIDED_OTHERWISE: Record<string, { value: unknown; why: string }> = {
  '@aws-cdk/core:enablePartitionLiterals': {
    value: false,
    why:
      'true writes the partition of a known region as a literal instead of Ref AWS::Partition: the same value, ' +
      "but in the SourceArn of every route's Lambda permission, a property whose change replaces the permission. " +
      'A deployed IotJobsApi would gain nothing and could have its permissions replaced.',
  },
  '@aws-cdk/core:defaultCrossStackReferences': {
    value: 'strong',
    why:
      'IotJobsApi imports the table from IotJobsData through CloudFormation exports, which keep IotJobsData ' +
      "from being deleted under it; 'weak' drops that guard and, on a deployed pair, takes two deploys " +
      "('both', then 'weak').",
  },
};

/**
 * The app with cdk.json's context and `-c` settings, as the CLI runs it: the CLI, not the app, judges the
 * assembly's errors (without this, cdk.json's annotationsInValidationReport makes the app throw on them itself).
 */
const appWith = (context: Record<string, string>) =>
  new App({
    context: {
      ...CDK_JSON_CONTEXT,
      'aws:cdk:bundling-stacks': [],
      '@aws-cdk/core:failSynthOnValidationErrors': false,
      ...context,
    },
    builtinCloudFormationValidation: false,
  });

describe('the app without the device settings', () => {
  let assembly: ReturnType<App['synth']>;
  let data: ReturnType<typeof assembly.getStackByName>;
  beforeAll(() => {
    const app = appWith({});
    addJobsAppFromContext(app, ENV);
    assembly = app.synth();
    data = assembly.getStackByName('IotJobsData');
  });

  it('has IotJobsData alone, in the environment `cdk bootstrap` is to prepare', () => {
    expect(assembly.stacks.map((stack) => [stack.stackName, stack.environment.name])).toEqual([
      ['IotJobsData', 'aws://123456789012/us-east-1'],
    ]);
  });

  it('marks it with the message as an error, where synth and deploy stop', () => {
    const errors = data.messages.filter((message) => message.level === 'error').map((message) => message.entry.data);
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toMatch(MISSING);
  });

  it('makes IotJobsData as the full app does, exports too: deployed in spite of its error, it changes nothing', () => {
    const app = appWith(DEVICE_SETTINGS);
    addJobsAppFromContext(app, ENV);
    const full = app.synth();
    expect(full.stacks.map((stack) => stack.stackName).sort()).toEqual(['IotJobsApi', 'IotJobsData']);
    expect(data.template).toEqual(full.getStackByName('IotJobsData').template);
    expect(Object.keys(data.template.Outputs)).toHaveLength(3);
  });
});

describe('a wrong setting', () => {
  it.each([
    ['sweepIntervalMinutes', 'abc', /sweepIntervalMinutes must be a whole number of minutes, at least 1, not abc/],
    ['sweepIntervalMinutes', '0', /sweepIntervalMinutes must be a whole number/],
    ['sweepIntervalMinutes', '1.5', /sweepIntervalMinutes must be a whole number/],
    ['deviceAccess', 'bogus', /deviceAccess must be mtls or open, not bogus/],
    ['deviceIdentity', 'serial', /deviceIdentity must be attached-principal or subject-cn, not serial/],
    ['deviceTruststoreUri', 'https://example.com/ca.pem', /deviceTruststoreUri must look like s3:\/\/bucket\/key/],
    ['reserveBackgroundConcurrency', 'yes', /reserveBackgroundConcurrency must be true or false, not yes/],
    ['implicitThings', 'maybe', /implicitThings must be true or false, not maybe/],
    ['eventBus', 'mine', /eventBus must be default or own, not mine/],
    ['historyRetentionDays', '-1', /historyRetentionDays must be a whole number of days/],
  ])('-c %s=%s stops the app with one line saying so, missing device settings or not', (name, value, message) => {
    for (const context of [{ [name]: value }, { ...DEVICE_SETTINGS, [name]: value }]) {
      const error = (() => {
        try {
          addJobsAppFromContext(appWith(context), ENV);
        } catch (thrown) {
          return thrown;
        }
      })();
      expect(error).toBeInstanceOf(ContextError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('\n');
    }
  });
});

/** `npx cdk ...` in this checkout, as a deployer runs it: its exit code and everything it printed. */
function cdk(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      'npx',
      ['cdk', ...args, '--no-notices', '--no-color'],
      { cwd: ROOT, env, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr }),
    );
  });
}

/**
 * A stand-in for AWS on a local port: STS says whose the credentials are (as it would for a deployer's), anything
 * else is refused. Nothing reaches AWS.
 */
async function fakeAws() {
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      response.setHeader('content-type', 'text/xml');
      if (body.includes('Action=GetCallerIdentity')) {
        response.end(
          '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
            '<Arn>arn:aws:iam::123456789012:user/deployer</Arn><UserId>AIDAEXAMPLE</UserId>' +
            '<Account>123456789012</Account></GetCallerIdentityResult>' +
            '<ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>',
        );
        return;
      }
      response.statusCode = 403;
      response.end(
        '<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>' +
          '<Message>no AWS here, a local stand-in</Message></Error><RequestId>1</RequestId></ErrorResponse>',
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

describe('the cdk CLI on this app', () => {
  const out = mkdtempSync(join(tmpdir(), 'cdk-commands-'));
  let server: Awaited<ReturnType<typeof fakeAws>>;
  let synth: { code: number; output: string };
  let mistake: { code: number; output: string };
  let bootstrap: { code: number; output: string };

  beforeAll(async () => {
    server = await fakeAws();
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_REGION: 'eu-west-1',
      // Keep a developer's own profile and config out of the test.
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ENDPOINT_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      CDK_DISABLE_CLI_TELEMETRY: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    // Side by side: each spends most of its time starting the app. Without the device settings nothing is bundled.
    [synth, mistake, bootstrap] = await Promise.all([
      cdk(['synth', '-o', join(out, 'synth')], env),
      cdk(['synth', '-o', join(out, 'mistake'), '-c', 'deviceAccess=open', '-c', 'sweepIntervalMinutes=abc'], env),
      cdk(['bootstrap', '-o', join(out, 'bootstrap')], env),
    ]);
  });

  afterAll(() => {
    server?.close();
    rmSync(out, { recursive: true, force: true });
  });

  it('refuses `cdk synth` without the device settings: the message, no stack trace, a non-zero exit', () => {
    expect(synth.output).toMatch(MISSING);
    expect(synth.output).not.toMatch(STACK_TRACE);
    // The app made its assembly; the CLI refused it.
    expect(synth.output).not.toContain('Subprocess exited');
    expect(synth.code).not.toBe(0);
  });

  it('stops on a wrong setting with that one line, no stack trace, a non-zero exit', () => {
    expect(mistake.output).toContain(
      '-c sweepIntervalMinutes must be a whole number of minutes, at least 1, not abc\n',
    );
    expect(mistake.output).not.toMatch(STACK_TRACE);
    expect(mistake.code).not.toBe(0);
  });

  it('gets `npx cdk bootstrap` past the app without the device settings, to the environment it prepares', () => {
    expect(bootstrap.output).not.toMatch(MISSING);
    expect(bootstrap.output).not.toContain('Subprocess exited');
    expect(bootstrap.output).toContain('Bootstrapping environment aws://123456789012/eu-west-1...');
    // ...where the stand-in refuses it.
    expect(bootstrap.output).toContain('no AWS here, a local stand-in');
  });

  describe('feature flags', () => {
    type Flag = { recommendedValue: unknown; userValue?: unknown; unconfiguredBehavesLike?: { v2?: unknown } };
    const flags = () => {
      const manifest = JSON.parse(readFileSync(join(out, 'synth', 'manifest.json'), 'utf8')) as {
        artifacts: Record<string, { type: string; properties: { flags: Record<string, Flag> } }>;
      };
      const reports = Object.values(manifest.artifacts).filter((a) => a.type === 'cdk:feature-flag-report');
      expect(reports).toHaveLength(1);
      return Object.entries(reports[0]!.properties.flags);
    };

    it('leaves none unconfigured as the CLI counts them: cdk.json sets each whose default is not recommended', () => {
      // The CLI's own test for its "N feature flags are not configured" notice.
      const unconfigured = flags().filter(
        ([, flag]) =>
          flag.userValue === undefined && (flag.unconfiguredBehavesLike?.v2 ?? false) !== flag.recommendedValue,
      );
      expect(unconfigured.map(([name]) => name)).toEqual([]);
    });

    it('takes the recommended value of each flag, but those decided otherwise, each for its reason', () => {
      const set = flags().filter(([, flag]) => flag.userValue !== undefined);
      const expected = set.map(([name, flag]) => [name, DECIDED_OTHERWISE[name]?.value ?? flag.recommendedValue]);
      expect(set.map(([name, flag]) => [name, flag.userValue])).toEqual(expected);
      for (const [name, { why }] of Object.entries(DECIDED_OTHERWISE)) {
        expect(set.map(([n]) => n)).toContain(name);
        expect(why.length).toBeGreaterThan(80);
      }
      // No stale or misspelt flag in cdk.json: each is one the CLI knows.
      const known = new Set(flags().map(([name]) => name));
      expect(Object.keys(CDK_JSON_CONTEXT).filter((name) => name.startsWith('@') && !known.has(name))).toEqual([]);
    });
  });
});
