export class TimeoutError extends Error {
    name = "TimeoutError";
}
/** Rejects with a TimeoutError when `promise` has not settled within `ms`; the timer never outlives it. */
export function withTimeout(promise, ms, message) {
    let timer;
    const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new TimeoutError(`${message} within ${ms} ms`)), ms);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
