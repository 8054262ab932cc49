import type { RouteDefinition, TableAction } from '../route-definition';

/** The certificate registry's routes (management API): CA certificates, device certificates, and thing principals. */

/** Deployed, in a nested stack of their own: the API stack itself has no room left for seven resources a route. */
const DEPLOYED_IN = 'CertificateRoutes';

const route = (
  operation: string,
  method: RouteDefinition['method'],
  path: string,
  handlerFile: string,
  tableActions: readonly TableAction[],
  extra: Partial<RouteDefinition> = {},
): RouteDefinition => ({
  operation,
  api: 'management',
  method,
  path,
  handlerFile,
  tableActions,
  deployedIn: DEPLOYED_IN,
  ...extra,
});

const REGISTRY = { queryIndex: 'registry' } as const;
/** A new certificate, and its CA's count of certificates, in one transaction. */
const REGISTER: readonly TableAction[] = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];

export const CERTIFICATE_ROUTES: readonly RouteDefinition[] = [
  route('RegisterCACertificate', 'POST', '/cacertificate', 'register-ca-certificate', ['dynamodb:PutItem']),
  route('DescribeCACertificate', 'GET', '/cacertificate/{caCertificateId}', 'describe-ca-certificate', [
    'dynamodb:GetItem',
  ]),
  route('ListCACertificates', 'GET', '/cacertificates', 'list-ca-certificates', ['dynamodb:Query'], REGISTRY),
  route('UpdateCACertificate', 'PUT', '/cacertificate/{caCertificateId}', 'update-ca-certificate', [
    'dynamodb:UpdateItem',
  ]),
  route('DeleteCACertificate', 'DELETE', '/cacertificate/{caCertificateId}', 'delete-ca-certificate', [
    'dynamodb:GetItem',
    'dynamodb:DeleteItem',
  ]),
  // Without caCertificatePem, the registered CAs are read (Query) to find the one that signed it.
  route(
    'RegisterCertificate',
    'POST',
    '/certificate/register',
    'register-certificate',
    [...REGISTER, 'dynamodb:Query'],
    REGISTRY,
  ),
  route('RegisterCertificateWithoutCA', 'POST', '/certificate/register-no-ca', 'register-certificate-without-ca', [
    'dynamodb:PutItem',
  ]),
  route('DescribeCertificate', 'GET', '/certificates/{certificateId}', 'describe-certificate', ['dynamodb:GetItem']),
  route('ListCertificates', 'GET', '/certificates', 'list-certificates', ['dynamodb:Query'], REGISTRY),
  route(
    'ListCertificatesByCA',
    'GET',
    '/certificates-by-ca/{caCertificateId}',
    'list-certificates-by-ca',
    ['dynamodb:Query'],
    REGISTRY,
  ),
  route('UpdateCertificate', 'PUT', '/certificates/{certificateId}', 'update-certificate', [
    'dynamodb:GetItem',
    'dynamodb:UpdateItem',
  ]),
  // The certificate, and its CA's count, in one transaction.
  route('DeleteCertificate', 'DELETE', '/certificates/{certificateId}', 'delete-certificate', [
    'dynamodb:GetItem',
    'dynamodb:DeleteItem',
    'dynamodb:UpdateItem',
  ]),
  // One transaction: the thing (ConditionCheck), the attachment and the certificate's things (UpdateItem).
  route('AttachThingPrincipal', 'PUT', '/things/{thingName}/principals', 'attach-thing-principal', [
    'dynamodb:GetItem',
    'dynamodb:ConditionCheckItem',
    'dynamodb:UpdateItem',
  ]),
  route('DetachThingPrincipal', 'DELETE', '/things/{thingName}/principals', 'detach-thing-principal', [
    'dynamodb:GetItem',
    'dynamodb:DeleteItem',
    'dynamodb:UpdateItem',
  ]),
  // The thing's own partition (no index).
  route('ListThingPrincipals', 'GET', '/things/{thingName}/principals', 'list-thing-principals', [
    'dynamodb:GetItem',
    'dynamodb:Query',
  ]),
  route('ListThingPrincipalsV2', 'GET', '/things/{thingName}/principals-v2', 'list-thing-principals-v2', [
    'dynamodb:GetItem',
    'dynamodb:Query',
  ]),
  // The certificate item lists its things.
  route('ListPrincipalThings', 'GET', '/principals/things', 'list-principal-things', ['dynamodb:GetItem']),
  route('ListPrincipalThingsV2', 'GET', '/principals/things-v2', 'list-principal-things-v2', ['dynamodb:GetItem']),
  // Signed by the local runner's development CA, then registered as RegisterCertificate does; refused deployed.
  route('CreateKeysAndCertificate', 'POST', '/keys-and-certificate', 'create-keys-and-certificate', REGISTER),
  route('CreateCertificateFromCsr', 'POST', '/certificates', 'create-certificate-from-csr', REGISTER),
];
