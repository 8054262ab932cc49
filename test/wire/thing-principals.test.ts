import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AttachThingPrincipalCommand,
  CreateThingCommand,
  DeleteCertificateCommand,
  DeleteThingCommand,
  DetachThingPrincipalCommand,
  ListPrincipalThingsCommand,
  ListPrincipalThingsV2Command,
  ListThingPrincipalsCommand,
  ListThingPrincipalsV2Command,
  RegisterCertificateWithoutCACommand,
} from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDevCertificates } from '../../local/http/dev-certificates';
import { aws } from '../support/aws-cli';
import { startWireFixture, type WireFixture } from '../support/local-service';
import { failure } from '../support/sdk-failure';

/** AttachThingPrincipal and its lists: which things a certificate stands for, through the SDK and the AWS CLI. */
let f: WireFixture;
const arnOf: Record<string, string> = {};
const cli = (...args: string[]) => aws('iot', ...args, '--endpoint-url', f.service.managementEndpoint);

beforeAll(async () => {
  const certs = await ensureDevCertificates(mkdtempSync(join(tmpdir(), 'principals-')), ['c1', 'c2', 'c3']);
  f = await startWireFixture();
  for (const [name, pair] of Object.entries(certs.devices)) {
    const pem = readFileSync(pair.certFile, 'utf8');
    const registered = await f.iot.send(new RegisterCertificateWithoutCACommand({ certificatePem: pem }));
    expect(registered.certificateId).toBe(createHash('sha256').update(new X509Certificate(pem).raw).digest('hex'));
    arnOf[name] = registered.certificateArn!;
  }
  for (const thingName of ['p1', 'p2', 'p3']) await f.iot.send(new CreateThingCommand({ thingName }));
}, 60_000);

afterAll(() => f?.stop());

describe('thing principals', () => {
  it('attaches certificates to things, again without harm, and lists both ways, paged', async () => {
    await f.iot.send(new AttachThingPrincipalCommand({ thingName: 'p1', principal: arnOf.c1! }));
    await f.iot.send(new AttachThingPrincipalCommand({ thingName: 'p1', principal: arnOf.c1! }));
    expect((await cli('attach-thing-principal', '--thing-name', 'p1', '--principal', arnOf.c2!)).code).toBe(0);
    await f.iot.send(new AttachThingPrincipalCommand({ thingName: 'p2', principal: arnOf.c1! }));
    await f.iot.send(new AttachThingPrincipalCommand({ thingName: 'p3', principal: arnOf.c1! }));

    const first = await f.iot.send(new ListThingPrincipalsCommand({ thingName: 'p1', maxResults: 1 }));
    expect(first.principals).toHaveLength(1);
    const second = await f.iot.send(
      new ListThingPrincipalsCommand({ thingName: 'p1', maxResults: 1, nextToken: first.nextToken }),
    );
    expect([...first.principals!, ...second.principals!].sort()).toEqual([arnOf.c1, arnOf.c2].sort());
    expect(second.nextToken).toBeUndefined();
    const viaCli = await cli('list-thing-principals', '--thing-name', 'p1', '--page-size', '1');
    expect(viaCli.json.principals.sort()).toEqual([arnOf.c1, arnOf.c2].sort());

    const things = await f.iot.send(new ListPrincipalThingsCommand({ principal: arnOf.c1!, maxResults: 2 }));
    expect(things.things).toEqual(['p1', 'p2']);
    const rest = await f.iot.send(
      new ListPrincipalThingsCommand({ principal: arnOf.c1!, maxResults: 2, nextToken: things.nextToken }),
    );
    expect(rest).toMatchObject({ things: ['p3'] });
    expect(rest.nextToken).toBeUndefined();
    expect((await cli('list-principal-things', '--principal', arnOf.c1!, '--page-size', '1')).json.things).toEqual([
      'p1',
      'p2',
      'p3',
    ]);
  });

  it('attaches exclusively only a certificate attached to nothing else', async () => {
    const exclusive = { principal: arnOf.c3!, thingPrincipalType: 'EXCLUSIVE_THING' as const };
    await f.iot.send(new AttachThingPrincipalCommand({ thingName: 'p2', ...exclusive }));
    expect(
      await failure(f.iot.send(new AttachThingPrincipalCommand({ thingName: 'p3', principal: arnOf.c3! }))),
    ).toEqual({ name: 'InvalidRequestException', status: 400 });
    expect(await failure(f.iot.send(new AttachThingPrincipalCommand({ thingName: 'p3', ...exclusive })))).toMatchObject(
      {
        name: 'InvalidRequestException',
      },
    );
    const v2 = await f.iot.send(new ListThingPrincipalsV2Command({ thingName: 'p2' }));
    expect(v2.thingPrincipalObjects).toEqual(
      expect.arrayContaining([
        { principal: arnOf.c3, thingPrincipalType: 'EXCLUSIVE_THING' },
        { principal: arnOf.c1, thingPrincipalType: 'NON_EXCLUSIVE_THING' },
      ]),
    );
    const exclusiveOnly = await cli(
      'list-thing-principals-v2',
      '--thing-name',
      'p2',
      '--thing-principal-type',
      'EXCLUSIVE_THING',
    );
    expect(exclusiveOnly.json.thingPrincipalObjects).toEqual([
      { principal: arnOf.c3, thingPrincipalType: 'EXCLUSIVE_THING' },
    ]);
    const things = await f.iot.send(new ListPrincipalThingsV2Command({ principal: arnOf.c3! }));
    expect(things.principalThingObjects).toEqual([{ thingName: 'p2', thingPrincipalType: 'EXCLUSIVE_THING' }]);
    const viaCli = await cli('list-principal-things-v2', '--principal', arnOf.c1!, '--page-size', '1');
    expect(viaCli.json.principalThingObjects.map((o: { thingName: string }) => o.thingName)).toEqual([
      'p1',
      'p2',
      'p3',
    ]);
  });

  it('answers 404 for a thing or certificate that does not exist, 400 for a principal that is no certificate here', async () => {
    const missingCert = arnOf.c1!.replace(/[0-9a-f]{64}$/, 'f'.repeat(64));
    expect(
      await failure(f.iot.send(new AttachThingPrincipalCommand({ thingName: 'nope', principal: arnOf.c1! }))),
    ).toEqual({ name: 'ResourceNotFoundException', status: 404 });
    expect(
      await failure(f.iot.send(new AttachThingPrincipalCommand({ thingName: 'p1', principal: missingCert }))),
    ).toEqual({ name: 'ResourceNotFoundException', status: 404 });
    expect(await failure(f.iot.send(new ListThingPrincipalsCommand({ thingName: 'nope' })))).toMatchObject({
      name: 'ResourceNotFoundException',
    });
    expect(await failure(f.iot.send(new ListPrincipalThingsCommand({ principal: missingCert })))).toMatchObject({
      name: 'ResourceNotFoundException',
    });
    const cognito = 'us-east-1:11111111-2222-3333-4444-555555555555';
    expect(await failure(f.iot.send(new AttachThingPrincipalCommand({ thingName: 'p1', principal: cognito })))).toEqual(
      {
        name: 'InvalidRequestException',
        status: 400,
      },
    );
    const otherAccount = arnOf.c1!.replace('123456789012', '210987654321');
    expect(await cli('list-principal-things', '--principal', otherAccount)).toMatchObject({ code: 255 });
  });

  it('refuses DeleteThing and DeleteCertificate while attached; detaching frees both', async () => {
    expect(await failure(f.iot.send(new DeleteThingCommand({ thingName: 'p3' })))).toEqual({
      name: 'InvalidRequestException',
      status: 400,
    });
    const c1 = arnOf.c1!.split('/')[1]!;
    expect(await failure(f.iot.send(new DeleteCertificateCommand({ certificateId: c1 })))).toEqual({
      name: 'DeleteConflictException',
      status: 409,
    });
    await f.iot.send(new DetachThingPrincipalCommand({ thingName: 'p3', principal: arnOf.c1! }));
    await f.iot.send(new DetachThingPrincipalCommand({ thingName: 'p3', principal: arnOf.c1! }));
    await f.iot.send(new DeleteThingCommand({ thingName: 'p3' }));
    expect((await cli('detach-thing-principal', '--thing-name', 'p1', '--principal', arnOf.c1!)).code).toBe(0);
    await f.iot.send(new DetachThingPrincipalCommand({ thingName: 'p2', principal: arnOf.c1! }));
    expect((await f.iot.send(new ListPrincipalThingsCommand({ principal: arnOf.c1! }))).things).toEqual([]);
    await f.iot.send(new DeleteCertificateCommand({ certificateId: c1 }));
    // Detached from p2, c3 may go to another thing, exclusively.
    await f.iot.send(new DetachThingPrincipalCommand({ thingName: 'p2', principal: arnOf.c3! }));
    await f.iot.send(
      new AttachThingPrincipalCommand({ thingName: 'p1', principal: arnOf.c3!, thingPrincipalType: 'EXCLUSIVE_THING' }),
    );
    expect((await f.iot.send(new ListThingPrincipalsCommand({ thingName: 'p1' }))).principals?.sort()).toEqual(
      [arnOf.c2, arnOf.c3].sort(),
    );
  });
});
