/** The service's answers a device is told to retry: the store busy or unavailable (503), or throttled (429). */
const RETRYABLE = new Set(['ServiceUnavailableException', 'ThrottlingException']);

/**
 * A call made as a device makes it: a retryable answer is tried again after a backoff, a few times. On a loaded
 * machine DynamoDB Local answers some writes with its own "waiting for a lock" error, which the service passes on as
 * 503; a test of what the service counts must not fail on what a device would simply retry.
 */
export async function asDeviceRetries<T>(call: () => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= attempts || !RETRYABLE.has((error as Error).name)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 50 * 2 ** attempt) * Math.random()));
    }
  }
}
