import {
  END_BEHAVIORS,
  type MaintenanceWindow,
  parseAwsCron,
  parseJobTime,
  type SchedulingConfig,
} from '../../../jobs/rollout/schedule';
import { InvalidRequestException } from '../../../jobs/shared/errors';
import {
  optionalObject,
  optionalString,
  requireInteger,
  requireObject,
  requireOneOf,
  requireString,
} from '../validation';

/** Maintenance windows per job: botocore sets no bound; ours keeps the job item small. */
export const MAX_MAINTENANCE_WINDOWS = 10;

function jobTime(field: string, value: unknown): string | undefined {
  const text = optionalString(field, value, { min: 1, max: 64 });
  if (text !== undefined && parseJobTime(text) === undefined)
    throw new InvalidRequestException(
      `${field}: must be a date and time, YYYY-MM-DDTHH:MM (UTC unless a zone is given)`,
    );
  return text;
}

/** schedulingConfig as botocore bounds it; the times against the clock are the domain's to check (checkSchedule). */
export function parseSchedulingConfig(value: unknown): SchedulingConfig | undefined {
  const config = optionalObject('schedulingConfig', value);
  if (!config) return undefined;
  const startTime = jobTime('schedulingConfig.startTime', config.startTime);
  const endTime = jobTime('schedulingConfig.endTime', config.endTime);
  const endBehavior =
    config.endBehavior === undefined || config.endBehavior === null
      ? undefined
      : requireOneOf('schedulingConfig.endBehavior', config.endBehavior, END_BEHAVIORS);
  const maintenanceWindows = parseMaintenanceWindows('schedulingConfig.maintenanceWindows', config.maintenanceWindows);
  return {
    ...(startTime !== undefined ? { startTime } : {}),
    ...(endTime !== undefined ? { endTime } : {}),
    ...(endBehavior !== undefined ? { endBehavior } : {}),
    ...(maintenanceWindows ? { maintenanceWindows } : {}),
  };
}

/** Maintenance windows as botocore bounds them (each cron read, so a malformed one is refused now), under `field`. */
export function parseMaintenanceWindows(field: string, list: unknown): MaintenanceWindow[] | undefined {
  if (list === undefined || list === null) return undefined;
  if (!Array.isArray(list)) throw new InvalidRequestException(`${field}: must be a list`);
  if (list.length > MAX_MAINTENANCE_WINDOWS)
    throw new InvalidRequestException(`${field}: at most ${MAX_MAINTENANCE_WINDOWS} windows`);
  return list.map((entry: unknown, i: number) => {
    const at = `${field}[${i}]`;
    const window = requireObject(at, entry);
    const start = requireString(`${at}.startTime`, window.startTime, { min: 1, max: 256 });
    try {
      parseAwsCron(start);
    } catch (error) {
      throw new InvalidRequestException(`${at}.startTime: ${(error as Error).message} (${start})`);
    }
    return {
      startTime: start,
      durationInMinutes: requireInteger(`${at}.durationInMinutes`, window.durationInMinutes, { min: 1, max: 1430 }),
    };
  });
}
