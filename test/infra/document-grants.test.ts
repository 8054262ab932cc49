import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { documentAccessFromContext } from '../../infra/app-context';
import { presignsDocumentUrls, readsDocumentSources } from '../../lambdas/api/route-families/document-access';
import { functionIdOf, handlerModulePath, ROUTES } from '../../lambdas/api/routes';
import { synthStacks } from '../support/synth';
import { templateResources } from '../support/template-resources';

/**
 * The S3 and STS grants of documents: s3:GetObject on the document buckets to the functions that read a
 * documentSource, sts:AssumeRole on the presigning roles to those that deliver documents to devices; nothing to any
 * other function, nothing at all unless the deployer names buckets or roles; cdk-nag clean.
 */
const BUCKETS = ['acme-firmware', 'acme-job-documents'];
const ROLES = ['arn:aws:iam::123456789012:role/iot-jobs-ota/*', 'arn:aws:iam::123456789012:role/fleet-download'];
const { apiTemplate, api } = synthStacks({ documentBuckets: BUCKETS, presignRoleArns: ROLES, nag: true });
const { statementsOf, actionsOf } = templateResources(apiTemplate);
const logicalIdOf = (functionId: string) => {
  const ids = Object.keys(apiTemplate.findResources('AWS::Lambda::Function')).filter((id) => id.startsWith(functionId));
  return ids.sort((a, b) => a.length - b.length)[0]!;
};
const deployedIds = [...new Set(ROUTES.map(functionIdOf))];
const servedBy = (id: string) => ROUTES.filter((route) => functionIdOf(route) === id);

/** The device operations whose answer carries a job document, by botocore's model of iot-jobs-data. */
function deviceOperationsWithDocuments(): string[] {
  const botocore = execFileSync('python3', ['-c', 'import botocore,os;print(os.path.dirname(botocore.__file__))'])
    .toString()
    .trim();
  const folder = join(botocore, 'data', 'iot-jobs-data');
  const version = readdirSync(folder).sort().at(-1)!;
  const model = JSON.parse(gunzipSync(readFileSync(join(folder, version, 'service-2.json.gz'))).toString()) as {
    operations: Record<string, { output?: { shape: string } }>;
    shapes: Record<string, { members?: Record<string, { shape: string }> }>;
  };
  const carries = (shape: string, seen = new Set<string>()): boolean => {
    if (seen.has(shape)) return false;
    seen.add(shape);
    const members = model.shapes[shape]?.members ?? {};
    return Object.entries(members).some(([name, member]) => name === 'jobDocument' || carries(member.shape, seen));
  };
  return Object.entries(model.operations)
    .filter(([, operation]) => operation.output && carries(operation.output.shape))
    .map(([name]) => name)
    .sort();
}

describe('document grants', () => {
  it('are declared for exactly the device operations whose answer carries a document (botocore)', () => {
    const declared = ROUTES.filter(presignsDocumentUrls).map((route) => route.operation);
    expect([...new Set(declared)].sort()).toEqual(deviceOperationsWithDocuments());
  });

  it('are declared for exactly the handlers that read a documentSource', () => {
    const reading = ROUTES.filter((route) =>
      readFileSync(handlerModulePath(route.handlerFile), 'utf8').includes('withSourcedDocument'),
    );
    expect(reading.map((r) => r.operation).sort()).toEqual(
      ROUTES.filter(readsDocumentSources)
        .map((r) => r.operation)
        .sort(),
    );
  });

  it("are matched by S3's SDK in exactly the handlers whose routes read or presign (the others' bundles lack it)", () => {
    const naming = ROUTES.filter((route) =>
      readFileSync(handlerModulePath(route.handlerFile), 'utf8').includes('s3Sdk: loadS3Sdk'),
    );
    expect(naming.map((r) => r.operation).sort()).toEqual(
      ROUTES.filter((route) => readsDocumentSources(route) || presignsDocumentUrls(route))
        .map((r) => r.operation)
        .sort(),
    );
  });

  it.each(deployedIds)(
    '%s gets s3:GetObject and sts:AssumeRole only if its routes need them, on the named resources only',
    (id) => {
      const statements = statementsOf(logicalIdOf(id));
      const s3 = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('s3:')));
      const sts = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('sts:')));
      if (servedBy(id).some(readsDocumentSources)) {
        expect(s3).toHaveLength(1);
        expect(actionsOf(s3)).toEqual(['s3:GetObject']);
        expect(JSON.stringify(s3[0]!.Resource)).toContain(':s3:::acme-firmware/*');
        expect(JSON.stringify(s3[0]!.Resource)).toContain(':s3:::acme-job-documents/*');
      } else expect(s3).toEqual([]);
      if (servedBy(id).some(presignsDocumentUrls)) {
        expect(sts).toHaveLength(1);
        expect(actionsOf(sts)).toEqual(['sts:AssumeRole']);
        expect([...(sts[0]!.Resource as string[])].sort()).toEqual([...ROLES].sort());
      } else expect(sts).toEqual([]);
    },
  );

  it('grant nothing when no bucket or role is named', () => {
    const plain = templateResources(synthStacks({}).apiTemplate);
    const actions = plain
      .ofType('AWS::IAM::Policy')
      .flatMap(([, p]) => plain.actionsOf(p.Properties.PolicyDocument.Statement));
    expect(actions.filter((a) => a.startsWith('s3:') || a.startsWith('sts:'))).toEqual([]);
  });

  it('leave cdk-nag nothing unanswered', () => {
    const findings = [
      ...Annotations.fromStack(api).findError('*', Match.stringLikeRegexp('AwsSolutions-.*')),
      ...Annotations.fromStack(api).findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*')),
    ].map((finding) => String(finding.entry.data));
    expect(findings).toEqual([]);
  });

  it('are read from -c documentBuckets and -c presignRoleArns, each checked', () => {
    const read = (context: Record<string, string>) => documentAccessFromContext((name) => context[name]);
    expect(read({ documentBuckets: 'acme-firmware, acme-job-documents', presignRoleArns: ROLES.join(',') })).toEqual({
      documentBuckets: BUCKETS,
      presignRoleArns: ROLES,
    });
    expect(read({})).toEqual({});
    expect(() => read({ documentBuckets: 'Bad_Bucket' })).toThrow('-c documentBuckets must be bucket names');
    expect(() => read({ presignRoleArns: 'arn:aws:iam::1:user/x' })).toThrow(
      '-c presignRoleArns must be IAM role ARNs',
    );
  });
});
