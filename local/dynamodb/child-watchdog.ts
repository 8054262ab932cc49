import { type ChildProcess, spawn } from 'node:child_process';

/**
 * What the watchdog runs: plain JavaScript for `node -e`, so it starts in
 * milliseconds. Its parent is the runner; once the runner is gone, however
 * it ended (kill -9 included), the watchdog is handed to another parent, and
 * it kills the child at once. It exits by itself when the child has.
 */
const WATCHDOG = `
const [runner, child] = process.argv.slice(1).map(Number);
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
setInterval(() => {
  if (!alive(child)) process.exit(0);
  if (process.ppid !== runner) { try { process.kill(child, 'SIGKILL'); } catch {} process.exit(0); }
}, 200);
`;

/**
 * Starts a watchdog that kills `childPid` when this process dies; stop it with `kill()` when the child is stopped the
 * ordinary way.
 */
export function watchOverChild(childPid: number): ChildProcess {
  const watchdog = spawn(process.execPath, ['-e', WATCHDOG, String(process.pid), String(childPid)], {
    stdio: 'ignore',
  });
  watchdog.unref();
  return watchdog;
}
