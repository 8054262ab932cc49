/**
 * Waits for `condition`, looking again every `pauseMs` (leaving the machine to
 * the work being waited for), until `ms` have passed; says whether it came true.
 */
export async function within(ms: number, condition: () => boolean | Promise<boolean>, pauseMs = 20): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  return true;
}
