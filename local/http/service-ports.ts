import type { Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';

/**
 * The ports the local service listens on, and how a user moves each one. npm start checks them all before it starts
 * DynamoDB Local (seconds of booting, for nothing, when one is taken), and a listen that fails all the same (taken
 * between the check and the listen) is reported in the same words.
 */
const SERVICE_PORTS = {
  device: { purpose: 'device API', flag: '--device-port', variable: 'JOBS_DEVICE_PORT' },
  management: { purpose: 'management API', flag: '--management-port', variable: 'JOBS_MANAGEMENT_PORT' },
  mqtt: { purpose: 'MQTT', flag: '--mqtt-port', variable: 'JOBS_MQTT_PORT' },
  s3: { purpose: 'local S3', flag: '--s3-port', variable: 'JOBS_S3_PORT' },
} as const;

export type ServicePortName = keyof typeof SERVICE_PORTS;

/** The service's options that say its ports (LocalServiceOptions' own). */
export interface PortOptions {
  devicePort?: number;
  managementPort?: number;
  mqttPort?: number;
  s3Port?: number;
}

/** A port the service listens on, by name; 0 is any free one. */
export interface ServicePort {
  name: ServicePortName;
  port: number;
}

/** The service's ports that something else may hold: 0 (any free port) never is, and MQTT may be off. */
export function fixedPorts(options: PortOptions): ServicePort[] {
  const ports: ServicePort[] = [
    { name: 'device', port: options.devicePort ?? 0 },
    { name: 'management', port: options.managementPort ?? 0 },
    { name: 'mqtt', port: options.mqttPort ?? 0 },
    { name: 's3', port: options.s3Port ?? 0 },
  ];
  return ports.filter(({ port }) => port !== 0);
}

const described = ({ name }: ServicePort) => `the ${SERVICE_PORTS[name].purpose} (${SERVICE_PORTS[name].flag})`;

/** Why a port could not be listened on, and how to pick another: the flag and the environment variable. */
export class PortUnavailableError extends Error {
  constructor(
    readonly port: ServicePort,
    readonly code: string,
  ) {
    const { purpose, flag, variable } = SERVICE_PORTS[port.name];
    const problem = code === 'EACCES' ? 'needs privileges this process lacks' : 'is taken';
    super(`Port ${port.port} (${purpose}) ${problem}: pass ${flag} <n> or set ${variable} (0 picks a free port).`);
    this.name = 'PortUnavailableError';
  }
}

/** A listen error as the user can act on it: a taken (or forbidden) port named with its flag; any other as it is. */
export function namedListenError(port: ServicePort, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EADDRINUSE' || code === 'EACCES' ? new PortUnavailableError(port, code) : error;
}

/** Listens on the port, answering the port it got; a port it cannot have is a PortUnavailableError. */
export function listenOn(server: Server, port: ServicePort, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error) => reject(namedListenError(port, error)));
    server.listen(port.port, host, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port.port);
    });
  });
}

/**
 * Fails with the first of the service's fixed ports it could not listen on (as the service would, on the same host),
 * or with two of them asked to be one port; each port tried is let go at once.
 */
export async function checkPortsFree(options: PortOptions, host: string): Promise<void> {
  const ports = fixedPorts(options);
  for (const [i, port] of ports.entries()) {
    const twin = ports.slice(0, i).find((other) => other.port === port.port);
    if (twin)
      throw new Error(
        `Port ${port.port} is asked for twice, for ${described(twin)} and ${described(port)}: give each its own.`,
      );
  }
  // One after the other, so that of two taken ports the message names the first, always the same one.
  for (const port of ports) {
    const probe = createServer();
    await listenOn(probe, port, host);
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  }
}

/** Stops an HTTP server now: its open connections (keep-alive ones too) are closed rather than waited for. */
export function closeServer(server: HttpServer): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
