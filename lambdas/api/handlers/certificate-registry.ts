import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { CERTIFICATE_ROUTES } from '../certificate-routes';
import { jsonResponse } from '../http/response';
import type { RouteHandler } from '../http/route-handler';
import * as attachThingPrincipal from './attach-thing-principal';
import * as createCertificateFromCsr from './create-certificate-from-csr';
import * as createKeysAndCertificate from './create-keys-and-certificate';
import * as deleteCaCertificate from './delete-ca-certificate';
import * as deleteCertificate from './delete-certificate';
import * as describeCaCertificate from './describe-ca-certificate';
import * as describeCertificate from './describe-certificate';
import * as detachThingPrincipal from './detach-thing-principal';
import * as listCaCertificates from './list-ca-certificates';
import * as listCertificates from './list-certificates';
import * as listCertificatesByCa from './list-certificates-by-ca';
import * as listPrincipalThings from './list-principal-things';
import * as listPrincipalThingsV2 from './list-principal-things-v2';
import * as listThingPrincipals from './list-thing-principals';
import * as listThingPrincipalsV2 from './list-thing-principals-v2';
import * as registerCaCertificate from './register-ca-certificate';
import * as registerCertificate from './register-certificate';
import * as registerCertificateWithoutCa from './register-certificate-without-ca';
import * as updateCaCertificate from './update-ca-certificate';
import * as updateCertificate from './update-certificate';

/**
 * The certificate routes' one deployed function: each request goes to its own route's handler, found by API Gateway's
 * route key (`METHOD /path`), exactly as the local runner mounts them one by one.
 */
const MODULES: Record<string, { handler: RouteHandler }> = {
  'register-ca-certificate': registerCaCertificate,
  'describe-ca-certificate': describeCaCertificate,
  'list-ca-certificates': listCaCertificates,
  'update-ca-certificate': updateCaCertificate,
  'delete-ca-certificate': deleteCaCertificate,
  'register-certificate': registerCertificate,
  'register-certificate-without-ca': registerCertificateWithoutCa,
  'describe-certificate': describeCertificate,
  'list-certificates': listCertificates,
  'list-certificates-by-ca': listCertificatesByCa,
  'update-certificate': updateCertificate,
  'delete-certificate': deleteCertificate,
  'attach-thing-principal': attachThingPrincipal,
  'create-keys-and-certificate': createKeysAndCertificate,
  'create-certificate-from-csr': createCertificateFromCsr,
  'detach-thing-principal': detachThingPrincipal,
  'list-thing-principals': listThingPrincipals,
  'list-thing-principals-v2': listThingPrincipalsV2,
  'list-principal-things': listPrincipalThings,
  'list-principal-things-v2': listPrincipalThingsV2,
};

const BY_ROUTE_KEY = new Map(
  CERTIFICATE_ROUTES.map((route) => [`${route.method} ${route.path}`, MODULES[route.handlerFile]!.handler]),
);

export const handler: RouteHandler = (event: APIGatewayProxyEventV2) => {
  const route = BY_ROUTE_KEY.get(event.routeKey);
  if (route) return route(event);
  return Promise.resolve(jsonResponse(404, { message: 'Not Found' }, event.requestContext?.requestId ?? 'unknown'));
};
