/**
 * Polls `condition` every `intervalMs` until it holds; throws naming `what` after `timeoutMs`.
 * @example
 * await waitUntil("all runs to complete", 60_000, async () => (await completed()) === 500);
 */
export async function waitUntil(
  what: string,
  timeoutMs: number,
  condition: () => boolean | Promise<boolean>,
  intervalMs = 20,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
