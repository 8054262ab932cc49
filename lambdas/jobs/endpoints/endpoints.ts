import { InvalidRequestException } from '../shared/errors';

/**
 * Where this service answers, as DescribeEndpoint tells it: a host, with its port when the port is not the scheme's
 * (the local runner's), and with the stage's path when a deployment has no custom domain. Absent: not served here.
 */
export interface EndpointAddresses {
  /** The device API (AWS's iot:Jobs endpoint). */
  jobs?: string;
  /** The MQTT broker (AWS's iot:Data-ATS and iot:Data endpoints): the local runner's, when it runs one. */
  data?: string;
}

/** The types AWS's DescribeEndpoint knows, and which of this service's addresses each one asks for. */
const ENDPOINT_TYPES: Record<string, keyof EndpointAddresses | { refusal: string }> = {
  'iot:Jobs': 'jobs',
  'iot:Data-ATS': 'data',
  // The older VeriSign-signed data endpoint: here the same broker, whose certificate is the runner's own.
  'iot:Data': 'data',
  'iot:CredentialProvider': {
    refusal:
      'This service has no credentials provider: devices authenticate to the device API with their certificates, ' +
      'and operators sign with their own AWS credentials',
  },
  'iot:DeviceAdvisor': { refusal: 'This service has no Device Advisor endpoint' },
};

/** AWS answers the legacy data endpoint when no type is given. */
const DEFAULT_TYPE = 'iot:Data';

const WHERE_MISSING: Record<keyof EndpointAddresses, string> = {
  jobs: 'This deployment does not say where its device API is',
  data:
    'No MQTT broker runs here: devices reach jobs over HTTPS (endpoint type iot:Jobs); ' +
    'the local runner serves MQTT unless started with --mqtt-port 0',
};

/** DescribeEndpoint: the address of the endpoint type asked for, or why this service has none. */
export function describeEndpoint(
  addresses: EndpointAddresses,
  endpointType: string | undefined,
): { endpointAddress: string } {
  const type = endpointType ?? DEFAULT_TYPE;
  const kind = Object.hasOwn(ENDPOINT_TYPES, type) ? ENDPOINT_TYPES[type] : undefined;
  if (kind === undefined) throw new InvalidRequestException(`Endpoint type ${type} not recognized.`);
  if (typeof kind === 'object') throw new InvalidRequestException(`${kind.refusal} (endpoint type ${type}).`);
  const endpointAddress = addresses[kind];
  if (!endpointAddress) throw new InvalidRequestException(`${WHERE_MISSING[kind]} (endpoint type ${type}).`);
  return { endpointAddress };
}
