import { describe, expect, it } from 'vitest';
import { authorizeThing, commonNameOf, type DeviceAuthPolicy } from '../../lambdas/domain/device-authorization';
import { AccessDeniedException } from '../../lambdas/domain/errors';

describe('commonNameOf', () => {
  it.each<[string, string | undefined]>([
    ['CN=t1', 't1'],
    ['CN=t1,OU=devices,O=Acme', 't1'],
    ['O=Acme, CN=sensor:42 ,C=DE', 'sensor:42'],
    ['cn=lower', 'lower'],
    ['CN=a\\,b,O=x', 'a,b'],
    ['O=Acme,OU=devices', undefined],
    ['', undefined],
  ])('%j -> %j', (subject, expected) => {
    expect(commonNameOf(subject)).toBe(expected);
  });
});

describe('authorizeThing', () => {
  it.each<[string, DeviceAuthPolicy, string | undefined, string, boolean]>([
    ['open: anyone, with no certificate', 'open', undefined, 't1', true],
    ['open: even another thing\'s certificate', 'open', 'CN=t2', 't1', true],
    ['certificate: its own thing', 'certificate', 'CN=t1,O=Acme', 't1', true],
    ['certificate: another thing', 'certificate', 'CN=t2,O=Acme', 't1', false],
    ['certificate: no certificate', 'certificate', undefined, 't1', false],
    ['certificate: a certificate without CN', 'certificate', 'O=Acme', 't1', false],
    ['certificate: names compare exactly', 'certificate', 'CN=T1', 't1', false],
  ])('%s', (_name, policy, subject, thing, allowed) => {
    const attempt = () => authorizeThing(policy, subject, thing);
    if (allowed) expect(attempt).not.toThrow();
    else expect(attempt).toThrow(AccessDeniedException);
  });
});
