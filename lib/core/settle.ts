// A promise that several racing events may try to settle (a result, an error, an abort, a thread
// exiting): the first one wins, the rest are ignored, and a clean-up (stopping threads, closing
// connections) finishes before the caller hears the outcome, so what it does next runs alone.

export interface SettleOnce<T> {
  promise: Promise<T>;
  /** True once resolve or reject has been called. */
  readonly settled: boolean;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function settleOnce<T = void>(cleanup: () => unknown = () => undefined): SettleOnce<T> {
  let settled = false;
  let outcome!: { resolve(value: T): void; reject(error: unknown): void };
  const promise = new Promise<T>((resolve, reject) => (outcome = { resolve, reject }));
  const finish = (settle: () => void) => {
    if (settled) return;
    settled = true;
    void Promise.resolve()
      .then(cleanup)
      .catch(() => undefined)
      .then(settle);
  };
  return {
    promise,
    get settled() {
      return settled;
    },
    resolve: (value) => finish(() => outcome.resolve(value)),
    reject: (error) => finish(() => outcome.reject(error)),
  };
}
