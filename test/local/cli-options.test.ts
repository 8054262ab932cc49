import { describe, expect, it } from 'vitest';
import { parseCliOptions } from '../../local/cli/start-options';

describe('parseCliOptions', () => {
  it('defaults to ports 8090/8091 (and MQTT on 1883), data on disk in .local-data, the embedded DynamoDB Local', () => {
    expect(parseCliOptions([], {})).toEqual({
      devicePort: 8090,
      managementPort: 8091,
      mqttPort: 1883,
      s3Port: 8092,
      s3Dir: '.local-s3',
      host: '127.0.0.1',
      inMemory: false,
      dataDir: '.local-data',
      tableName: 'iot-jobs',
      sweepIntervalMs: 10_000,
    });
  });

  it('serves MQTT on the port asked for, none with 0, on 1883 by default and on 8883 with --tls', () => {
    expect(parseCliOptions(['--mqtt-port', '1999'], {})).toMatchObject({ mqttPort: 1999 });
    expect(parseCliOptions([], { JOBS_MQTT_PORT: '0' })).not.toHaveProperty('mqttPort');
    expect(parseCliOptions([], {})).toMatchObject({ mqttPort: 1883 });
    expect(parseCliOptions(['--tls'], {})).toMatchObject({ mqttPort: 8883 });
    expect(parseCliOptions(['--tls', '--mqtt-port', '1999'], {})).toMatchObject({ mqttPort: 1999 });
  });

  it('serves the local S3 on 8092 by default, in .local-s3 (a temporary folder in memory), none with 0', () => {
    expect(parseCliOptions(['--s3-port', '4569', '--s3-dir', '/tmp/b'], {})).toMatchObject({
      s3Port: 4569,
      s3Dir: '/tmp/b',
    });
    expect(parseCliOptions([], { JOBS_S3_PORT: '0' })).not.toHaveProperty('s3Port');
    expect(parseCliOptions(['--in-memory'], {})).toMatchObject({ s3Port: 8092 });
    expect(parseCliOptions(['--in-memory'], {})).not.toHaveProperty('s3Dir');
    expect(parseCliOptions([], { JOBS_S3_DIR: 'fw' })).toMatchObject({ s3Dir: 'fw' });
    expect(() => parseCliOptions(['--s3-port', 'x'], {})).toThrow('--s3-port must be a port number');
  });

  it('prints job events when asked, by flag or environment', () => {
    expect(parseCliOptions([], {})).not.toHaveProperty('logEvents');
    expect(parseCliOptions(['--log-events'], {})).toMatchObject({ logEvents: true });
    expect(parseCliOptions([], { JOBS_LOG_EVENTS: '1' })).toMatchObject({ logEvents: true });
    expect(parseCliOptions([], {})).not.toHaveProperty('logRequests');
    expect(parseCliOptions(['--log-requests'], {})).toMatchObject({ logRequests: true });
    expect(parseCliOptions([], { JOBS_LOG_REQUESTS: '1' })).toMatchObject({ logRequests: true });
  });

  it('sweeps on the interval asked for, or never with 0', () => {
    expect(parseCliOptions(['--sweep-interval', '2.5'], {})).toMatchObject({ sweepIntervalMs: 2500 });
    expect(parseCliOptions([], { JOBS_SWEEP_INTERVAL: '0' })).toMatchObject({ sweepIntervalMs: 0 });
  });

  it('serves devices over mutual TLS when asked, with certificates for the things named', () => {
    expect(parseCliOptions(['--tls', '--device-certs', 't1, t2'], {})).toMatchObject({
      tls: { dir: '.local-tls', deviceCertificates: ['t1', 't2'], identity: 'principal' },
    });
    expect(parseCliOptions(['--tls', '--device-identity', 'cn'], {})).toMatchObject({ tls: { identity: 'cn' } });
    expect(() => parseCliOptions(['--tls', '--device-identity', 'serial'], {})).toThrow(/principal or cn/);
    expect(parseCliOptions([], { JOBS_TLS: '1', JOBS_TLS_DIR: '/tmp/certs' })).toMatchObject({
      tls: { dir: '/tmp/certs', deviceCertificates: [] },
    });
    expect(parseCliOptions([], {})).not.toHaveProperty('tls');
    expect(() => parseCliOptions(['--device-certs', 't1'], {})).toThrow(/--tls/);
  });

  it('serves the clock control only when asked', () => {
    expect(parseCliOptions([], {})).not.toHaveProperty('controllableClock');
    expect(parseCliOptions(['--controllable-clock'], {})).toMatchObject({ controllableClock: true });
    expect(parseCliOptions([], { JOBS_CONTROLLABLE_CLOCK: '1' })).toMatchObject({ controllableClock: true });
  });

  it('reads the environment', () => {
    const options = parseCliOptions([], {
      JOBS_DEVICE_PORT: '9000',
      JOBS_MANAGEMENT_PORT: '9001',
      JOBS_DATA_DIR: '/tmp/x',
      JOBS_DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
    });
    expect(options).toMatchObject({
      devicePort: 9000,
      managementPort: 9001,
      dataDir: '/tmp/x',
      dynamoEndpoint: 'http://127.0.0.1:8000',
    });
  });

  it('lets flags win over the environment', () => {
    expect(parseCliOptions(['--device-port', '7000'], { JOBS_DEVICE_PORT: '9000' })).toMatchObject({
      devicePort: 7000,
    });
  });

  it('keeps no data directory in memory', () => {
    const options = parseCliOptions(['--in-memory', '--data-dir', 'ignored'], {});
    expect(options).toMatchObject({ inMemory: true });
    expect(options).not.toHaveProperty('dataDir');
    expect(parseCliOptions([], { JOBS_IN_MEMORY: '1' })).toMatchObject({ inMemory: true });
  });

  it('names the account and region its ARNs are in, from flags or the environment, and by default none', () => {
    expect(parseCliOptions(['--account', '111122223333', '--region', 'eu-west-1'], {})).toMatchObject({
      account: '111122223333',
      region: 'eu-west-1',
    });
    expect(parseCliOptions([], { JOBS_ACCOUNT: '111122223333', JOBS_REGION: 'eu-west-1' })).toMatchObject({
      account: '111122223333',
      region: 'eu-west-1',
    });
    expect(parseCliOptions([], {})).not.toHaveProperty('account');
  });

  it.each([
    [['--device-port', 'eighty']],
    [['--device-port', '70000']],
    [['--sweep-interval', '-1']],
    [['--sweep-interval', 'often']],
    [['--no-such-flag']],
    [['--account', '12345']],
    [['--region', 'mars']],
  ])('refuses %j', (argv) => {
    expect(() => parseCliOptions(argv, {})).toThrow();
  });

  it('lets jobs target unregistered things only when asked', () => {
    expect(parseCliOptions([], {})).not.toHaveProperty('implicitThings');
    expect(parseCliOptions(['--implicit-things'], {})).toMatchObject({ implicitThings: true });
    expect(parseCliOptions([], { JOBS_IMPLICIT_THINGS: '1' })).toMatchObject({ implicitThings: true });
  });

  it('answers help', () => {
    expect(parseCliOptions(['--help'], {})).toBe('help');
  });
});
