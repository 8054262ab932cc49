import { describe, expect, it } from 'vitest';
import {
  authorizeDevice,
  type CertificateDirectory,
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
  /** The certificate table, in memory: fingerprint "fp-1" is bound to t1. */
  const directory: CertificateDirectory = { thingOf: async (fingerprint) => ({ 'fp-1': 't1' })[fingerprint] };

  it.each<[string, DeviceAuthPolicy, DeviceCaller, string, boolean]>([
    ['open: anyone, with no certificate', 'open', {}, 't1', true],
    ["open: even another thing's certificate", 'open', { clientCertificateSubject: 'CN=t2' }, 't1', true],
    ['certificate: its own thing', 'certificate', { clientCertificateSubject: 'CN=t1,O=Acme' }, 't1', true],
    ['certificate: another thing', 'certificate', { clientCertificateSubject: 'CN=t2,O=Acme' }, 't1', false],
    ['certificate: no certificate', 'certificate', {}, 't1', false],
    ['certificate: a certificate without CN', 'certificate', { clientCertificateSubject: 'O=Acme' }, 't1', false],
    ['certificate: names compare exactly', 'certificate', { clientCertificateSubject: 'CN=T1' }, 't1', false],
    ...['CN=t1 ', 'CN=t1\t', 'CN=t1\n', ' CN=t1 ,O=Acme'].map(
      (subject): [string, DeviceAuthPolicy, DeviceCaller, string, boolean] => [
        `certificate: white space makes another name (${JSON.stringify(subject)})`,
        'certificate',
        { clientCertificateSubject: subject },
        't1',
        false,
      ],
    ),
    ['certificate: two CNs are ambiguous', 'certificate', { clientCertificateSubject: 'CN=t1,CN=t2' }, 't1', false],
    [
      'certificate-table: a certificate bound to the thing',
      'certificate-table',
      { clientCertificateFingerprint: 'fp-1', clientCertificateSubject: 'CN=whatever' },
      't1',
      true,
    ],
    [
      'certificate-table: bound to another thing',
      'certificate-table',
      { clientCertificateFingerprint: 'fp-1' },
      't2',
      false,
    ],
    ['certificate-table: not bound at all', 'certificate-table', { clientCertificateFingerprint: 'fp-9' }, 't1', false],
    [
      'certificate-table: the CN alone is not enough',
      'certificate-table',
      { clientCertificateSubject: 'CN=t1' },
      't1',
      false,
    ],
  ])('%s', async (_name, policy, caller, thing, allowed) => {
    const attempt = authorizeDevice(policy, caller, thing, directory);
    if (allowed) await expect(attempt).resolves.toBeUndefined();
    else await expect(attempt).rejects.toBeInstanceOf(AccessDeniedException);
  });
});
