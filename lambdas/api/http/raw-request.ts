/** The raw parts of an HTTP request, after transport decoding (path labels percent-decoded, body JSON-parsed). */
export interface RawRequest {
  path: Record<string, string | undefined>;
  query: Record<string, string | undefined>;
  body: unknown;
  /** Who the transport says is calling: the subject of a verified client certificate, when there is one. */
  clientCertificateSubject?: string;
  /** SHA-256 of that certificate (DER), lower-case hex. */
  clientCertificateFingerprint?: string;
  /** API Gateway's ID of this request (what every response carries as x-amzn-RequestId). */
  requestId?: string;
  /** The `x-amzn-principal` header: the principal of the thing-principal operations (a certificate ARN). */
  principal?: string;
  /** Who signed a management request (IAM): the caller's ARN, or its access key ID where no ARN is known (locally). */
  callerIdentity?: string;
}
