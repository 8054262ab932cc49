import { readdirSync, readFileSync } from 'node:fs';

/** Linux reports process CPU times in clock ticks, almost always 100 a second. */
const TICKS_PER_SECOND = 100;

/** User + system CPU ticks of one /proc `stat` line (a process's or a thread's). */
function cpuTicksOf(stat: string): number {
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/**
 * CPU time (user + system) another process has used so far, in milliseconds,
 * from /proc; undefined where there is no /proc or no such process.
 */
export function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    return (cpuTicksOf(readFileSync(`/proc/${pid}/stat`, 'utf8')) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** This process's CPU time so far, in milliseconds. */
export function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/**
 * CPU time, in milliseconds, that the threads of another process whose names
 * start with `prefix` have used so far (from /proc; undefined without it).
 * DynamoDB Local runs every read and write of its store on one SQLite thread
 * ("SQLiteQueue"): that thread's time is what bounds its throughput.
 */
export function threadCpuMs(pid: number | undefined, prefix: string): number | undefined {
  if (pid === undefined) return undefined;
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return undefined;
  }
  let ticks = 0;
  for (const task of tasks) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
    } catch {
      continue; // a thread that ended meanwhile
    }
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    if (name.startsWith(prefix)) ticks += cpuTicksOf(stat);
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}
