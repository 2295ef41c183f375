/** `work` did not settle within its deadline; it goes on (a store call cannot be taken back). */
export class DeadlinePassed extends Error {
  constructor(readonly deadlineMs: number) {
    super(`no answer within ${deadlineMs} ms`);
  }
}

/** Settles as `work` does, or rejects with DeadlinePassed once `deadlineMs` pass first. */
export function withinDeadline<T>(work: Promise<T>, deadlineMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const passed = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new DeadlinePassed(deadlineMs)), deadlineMs)));
  // Settled late, `work` has no listener left but this one: its rejection is not unhandled.
  work.catch(() => undefined);
  return Promise.race([work, passed]).finally(() => clearTimeout(timer));
}
