/**
 * The promise's value if it settles within `ms`, else undefined; the promise carries on either way.
 * For work that must answer inside a Slack deadline (a trigger_id, the ack) whatever it waits on.
 */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(resolve, ms, undefined);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
