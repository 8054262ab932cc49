import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { percentile } from './summary';

const run = promisify(execFile);

export interface BundleStats {
  /** The function's construct ID in the API stack. */
  functionId: string;
  /** index.mjs, what Lambda loads. */
  codeBytes: number;
  /** index.mjs.map, shipped beside it for readable stack traces, never loaded unless an error is printed. */
  sourceMapBytes: number;
  coldLoadMedianMs: number;
  coldLoadMaxMs: number;
}

/**
 * Every Lambda bundle exactly as `cdk deploy` would upload it: a real synth
 * (esbuild, minified ES modules, the SDK included), then each bundle's size
 * and the time a fresh node process takes to import it.
 */
export async function measureBundles(coldLoads: number): Promise<BundleStats[]> {
  const outDir = mkdtempSync(join(tmpdir(), 'jobs-bench-synth-'));
  try {
    await run('npx', ['cdk', 'synth', '--quiet', '--no-notices', '-c', 'deviceAccess=open', '--output', outDir], {
      env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' },
      maxBuffer: 64 * 1024 * 1024,
    });
    const stats: BundleStats[] = [];
    for (const { functionId, assetDir } of lambdaAssets(outDir, 'IotJobsApi')) {
      const code = join(assetDir, 'index.mjs');
      if (!existsSync(code)) continue;
      const map = `${code}.map`;
      const loads: number[] = [];
      for (let i = 0; i < coldLoads; i++) loads.push(await coldImportMs(code));
      loads.sort((a, b) => a - b);
      stats.push({
        functionId,
        codeBytes: statSync(code).size,
        sourceMapBytes: existsSync(map) ? statSync(map).size : 0,
        coldLoadMedianMs: percentile(loads, 50),
        coldLoadMaxMs: loads[loads.length - 1]!,
      });
    }
    return stats.sort((a, b) => a.functionId.localeCompare(b.functionId));
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

type Resource = { Type: string; Properties?: { Code?: { S3Key?: string } }; Metadata?: Record<string, string> };

/** The stack's Lambda functions and the asset folder holding each one's code. */
function lambdaAssets(assemblyDir: string, stackName: string): { functionId: string; assetDir: string }[] {
  const template = JSON.parse(readFileSync(join(assemblyDir, `${stackName}.template.json`), 'utf8')) as {
    Resources: Record<string, Resource>;
  };
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::Lambda::Function' && resource.Properties?.Code?.S3Key)
    .map(([logicalId, resource]) => {
      const path = resource.Metadata?.['aws:cdk:path'];
      // IotJobsApi/<FunctionId>/Resource
      const functionId = path?.split('/').at(-2) ?? logicalId;
      return {
        functionId,
        assetDir: join(assemblyDir, `asset.${resource.Properties!.Code!.S3Key!.replace(/\.zip$/, '')}`),
      };
    });
}

const IMPORT_TIMER = `const started = performance.now(); await import(process.env.BUNDLE_URL); process.stdout.write(String(performance.now() - started));`;

/**
 * Milliseconds for a fresh node process to import the bundle (module load and top-level code, as in a Lambda cold
 * start's init).
 */
async function coldImportMs(file: string): Promise<number> {
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', IMPORT_TIMER], {
    env: { PATH: process.env.PATH, BUNDLE_URL: pathToFileURL(file).href },
  });
  return Number(stdout);
}
