import { describe, expect, it } from 'vitest';
import {
  authorizeDevice,
  type CertificateDirectory,
  type CertificateIdentity,
  commonNameOf,
  type DeviceAuthPolicy,
  type DeviceCaller,
} from '../../lambdas/jobs/device/device-authorization';
import { AccessDeniedException } from '../../lambdas/jobs/shared/errors';

describe('commonNameOf', () => {
  it.each<[string, string | undefined]>([
    ['CN=t1', 't1'],
    ['CN=t1,OU=devices,O=Acme', 't1'],
    ['O=Acme, CN=sensor:42,C=DE', 'sensor:42'],
    // White space is part of the name, except the space that may follow a separating comma.
    ['O=Acme, CN=sensor:42 ,C=DE', 'sensor:42 '],
    ['CN=t2 ', 't2 '],
    ['CN=t2\t', 't2\t'],
    ['CN=t2\n', 't2\n'],
    ['CN=t2\\ ', 't2 '],
    // More than one CN names no one thing.
    ['CN=t2,CN=t1', undefined],
    ['CN=t2+CN=t1,O=Acme', undefined],
    ['cn=lower', 'lower'],
    ['CN=a\\,b,O=x', 'a,b'],
    ['O=Acme,OU=devices', undefined],
    ['', undefined],
  ])('%j -> %j', (subject, expected) => {
    expect(commonNameOf(subject)).toBe(expected);
  });
});

describe('authorizeDevice', () => {
  /** The certificate registry, in memory: "c-1" ACTIVE and attached to t1, "c-2" attached to t1 but INACTIVE. */
  const registry: Record<string, CertificateIdentity> = {
    'c-1': { status: 'ACTIVE', things: ['t1', 't3'] },
    'c-2': { status: 'INACTIVE', things: ['t1'] },
    'c-3': { status: 'REVOKED', things: ['t1'] },
  };
  const directory: CertificateDirectory = { identityOf: async (id) => registry[id] };

  it.each<[string, DeviceAuthPolicy, DeviceCaller, string, boolean]>([
    ['open: anyone, with no certificate', 'open', {}, 't1', true],
    ["open: even another thing's certificate", 'open', { clientCertificateSubject: 'CN=t2' }, 't1', true],
    ['subject-cn: its own thing', 'subject-cn', { clientCertificateSubject: 'CN=t1,O=Acme' }, 't1', true],
    ['subject-cn: another thing', 'subject-cn', { clientCertificateSubject: 'CN=t2,O=Acme' }, 't1', false],
    ['subject-cn: no certificate', 'subject-cn', {}, 't1', false],
    ['subject-cn: a certificate without CN', 'subject-cn', { clientCertificateSubject: 'O=Acme' }, 't1', false],
    ['subject-cn: names compare exactly', 'subject-cn', { clientCertificateSubject: 'CN=T1' }, 't1', false],
    ...['CN=t1 ', 'CN=t1\t', 'CN=t1\n', ' CN=t1 ,O=Acme'].map(
      (subject): [string, DeviceAuthPolicy, DeviceCaller, string, boolean] => [
        `subject-cn: white space makes another name (${JSON.stringify(subject)})`,
        'subject-cn',
        { clientCertificateSubject: subject },
        't1',
        false,
      ],
    ),
    ['subject-cn: two CNs are ambiguous', 'subject-cn', { clientCertificateSubject: 'CN=t1,CN=t2' }, 't1', false],
    [
      'principal: an ACTIVE certificate attached to the thing',
      'principal',
      { clientCertificateFingerprint: 'c-1', clientCertificateSubject: 'CN=whatever' },
      't1',
      true,
    ],
    ['principal: attached to more than one thing', 'principal', { clientCertificateFingerprint: 'c-1' }, 't3', true],
    ['principal: not attached to this thing', 'principal', { clientCertificateFingerprint: 'c-1' }, 't2', false],
    ['principal: INACTIVE', 'principal', { clientCertificateFingerprint: 'c-2' }, 't1', false],
    ['principal: REVOKED', 'principal', { clientCertificateFingerprint: 'c-3' }, 't1', false],
    ['principal: not registered', 'principal', { clientCertificateFingerprint: 'c-9' }, 't1', false],
    ['principal: the CN alone is not enough', 'principal', { clientCertificateSubject: 'CN=t1' }, 't1', false],
  ])('%s', async (_name, policy, caller, thing, allowed) => {
    const attempt = authorizeDevice(policy, caller, thing, directory);
    if (allowed) await expect(attempt).resolves.toBeUndefined();
    else await expect(attempt).rejects.toBeInstanceOf(AccessDeniedException);
  });
});
