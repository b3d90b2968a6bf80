/**
 * Polls `condition` until it returns something truthy, or fails after `timeoutMs` naming what it waited for.
 * A rejected condition ends the wait at once.
 * @example
 * await waitFor("all runs to complete", 60_000, async () => (await countByStatus()).completed === 300);
 */
export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  condition: () => T | Promise<T>,
  intervalMs = 100,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await condition();
    if (last) return last as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
