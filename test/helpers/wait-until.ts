/** Polls until `check` holds (tests only: no timing is asserted, the timeout is generous). */
export async function waitUntil(check: () => Promise<boolean>, timeoutMs = 20_000, message = "condition not met in time"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(message);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
