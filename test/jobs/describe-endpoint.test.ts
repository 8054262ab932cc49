import { describe, expect, it } from 'vitest';
import { describeEndpoint } from '../../lambdas/jobs/endpoints/endpoints';
import { InvalidRequestException } from '../../lambdas/jobs/shared/errors';

const LOCAL = { jobs: '127.0.0.1:8090', data: '127.0.0.1:1883' };
const DEPLOYED = { jobs: 'jobs.example.com' };

describe('DescribeEndpoint', () => {
  it.each([
    ['iot:Jobs', LOCAL, '127.0.0.1:8090'],
    ['iot:Data-ATS', LOCAL, '127.0.0.1:1883'],
    ['iot:Data', LOCAL, '127.0.0.1:1883'],
    // No type: AWS answers its legacy data endpoint.
    [undefined, LOCAL, '127.0.0.1:1883'],
    ['iot:Jobs', DEPLOYED, 'jobs.example.com'],
  ])('answers %s with the address that serves it', (type, addresses, endpointAddress) => {
    expect(describeEndpoint(addresses, type)).toEqual({ endpointAddress });
  });

  it.each([
    ['iot:Job', LOCAL, 'Endpoint type iot:Job not recognized.'],
    ['toString', LOCAL, 'Endpoint type toString not recognized.'],
    ['', LOCAL, 'Endpoint type  not recognized.'],
    ['iot:CredentialProvider', LOCAL, /no credentials provider.*\(endpoint type iot:CredentialProvider\)/],
    ['iot:DeviceAdvisor', LOCAL, /no Device Advisor endpoint/],
    ['iot:Data-ATS', DEPLOYED, /No MQTT broker runs here: devices reach jobs over HTTPS \(endpoint type iot:Jobs\)/],
    [undefined, DEPLOYED, /No MQTT broker runs here.*\(endpoint type iot:Data\)/],
    ['iot:Jobs', {}, /does not say where its device API is/],
  ])('refuses %s with a message saying why', (type, addresses, message) => {
    const refused = () => describeEndpoint(addresses, type);
    expect(refused).toThrow(InvalidRequestException);
    expect(refused).toThrow(message);
  });
});
