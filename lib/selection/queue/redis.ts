// Redis URLs and connections for the queue: a --queue URL checked once where it enters (an
// InputError for anything we cannot use, with the password never printed), the URL as it may be
// shown, and a first connection that turns an unreachable Redis into a message saying what to do.
//
//   pure   queueUrl, parseRedisUrl, displayUrl, redisHint, jobKey, dataKey
//   I/O    checkRedis, withTimeout
import IORedis, { type RedisOptions } from "ioredis";
import { InputError } from "../../core/errors";

/** BullMQ's key prefix and queue name: every key is binary-digits:folds:… or binary-digits:data:…. */
export const QUEUE_PREFIX = "binary-digits";
export const QUEUE_NAME = "folds";

/** Redis key of a fold job's hash (BullMQ's layout: prefix:queue:id). */
export function jobKey(id: string): string {
  return `${QUEUE_PREFIX}:${QUEUE_NAME}:${id}`;
}

/** Redis key of a dataset's bytes. */
export function dataKey(fingerprint: string): string {
  return `${QUEUE_PREFIX}:data:${fingerprint}`;
}

const EXAMPLE = "expected redis://HOST:PORT, e.g. redis://127.0.0.1:6390";

/** The environment variable `--queue env` takes the URL from. */
const QUEUE_URL_VARIABLE = "DIGITS_QUEUE_URL";

/**
 * The URL a --queue flag stands for: the flag itself, or with `--queue env` the value of
 * DIGITS_QUEUE_URL. A password in a command line is visible to every local user (ps, /proc); one in
 * the environment only to the user and root.
 */
export function queueUrl(flag: string, env: NodeJS.ProcessEnv = process.env): string {
  if (flag !== "env") return flag;
  const url = env[QUEUE_URL_VARIABLE];
  if (url === undefined || url.trim() === "") {
    throw new InputError(`--queue env: ${QUEUE_URL_VARIABLE} is not set; set it to the queue's URL (export ${QUEUE_URL_VARIABLE}=redis://:PASSWORD@HOST:PORT), or give the URL to --queue`);
  }
  return url.trim();
}

/** A URL component decoded, or an InputError that names the URL without its password. */
function decoded(part: string, what: string, url: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new InputError(`--queue "${displayUrl(url)}": the ${what} has a bad percent escape; write a % in it as %25 (and @ as %40, : as %3A)`);
  }
}

/** ioredis options for a redis:// or rediss:// URL; InputError on anything else. */
export function parseRedisUrl(url: string): RedisOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputError(`--queue "${displayUrl(url)}": not a URL; ${EXAMPLE}`);
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new InputError(`--queue "${displayUrl(url)}": expected a redis:// (or rediss://) URL, e.g. redis://127.0.0.1:6390`);
  }
  if (parsed.hostname === "") throw new InputError(`--queue "${displayUrl(url)}": no host; ${EXAMPLE}`);
  const db = parsed.pathname.replace(/^\//, "");
  if (db !== "" && !/^\d+$/.test(db)) throw new InputError(`--queue "${displayUrl(url)}": the database after the port must be a number, got "${db}"`);
  const options: RedisOptions = {
    host: parsed.hostname.replace(/^\[|\]$/g, ""),
    port: parsed.port === "" ? 6379 : Number(parsed.port),
    db: db === "" ? 0 : Number(db),
  };
  if (parsed.username) options.username = decoded(parsed.username, "user name", url);
  if (parsed.password) options.password = decoded(parsed.password, "password", url);
  if (parsed.protocol === "rediss:") options.tls = {};
  return options;
}

/**
 * The URL as it may be printed and recorded: any password replaced by ***. Built from its parts,
 * so nothing else changes (no slash is dropped from "redis://"); a string that is not a URL has
 * everything up to its last @ masked, since a password may be in it.
 */
export function displayUrl(url: string): string {
  const masked = () => url.replace(/^([a-z][a-z0-9+.-]*:(?:\/\/)?)?\S*@/i, (_match, scheme: string | undefined) => `${scheme ?? ""}***@`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return masked();
  }
  // "redis:PASS@HOST" parses with the whole rest as its path: not ours to take apart.
  if (parsed.host === "" && !url.includes("//")) return masked();
  const auth = parsed.username || parsed.password ? `${parsed.username}${parsed.password ? ":***" : ""}@` : "";
  const path = parsed.pathname === "/" ? "" : parsed.pathname;
  return `${parsed.protocol}//${auth}${parsed.host}${path}${parsed.search}${parsed.hash}`;
}

/**
 * The command that starts a worker on the queue at `url`, as a hint may print it: with the URL
 * itself when it holds no password, else through --queue env, since the printed URL has *** for
 * the password (and a password on a command line is visible to every local user).
 */
export function workerCommand(url: string): string {
  const shown = displayUrl(url);
  return shown.includes("***@") ? `DIGITS_QUEUE_URL=${shown.replace("***@", "PASSWORD@")} digits worker --queue env` : `digits worker --queue ${shown}`;
}

/** How to get a Redis to talk to, on the URL's port. */
function redisHint(url: string): string {
  let port = 6390;
  try {
    port = Number(parseRedisUrl(url).port);
  } catch {
    // the caller reports the URL itself
  }
  return (
    `start one with \`redis-server --port ${port} --bind 127.0.0.1\` (Debian/Ubuntu: \`sudo apt-get install redis-server\`) ` +
    `or \`docker run -d -p 127.0.0.1:${port}:6379 redis:7\`, or check the URL`
  );
}

/**
 * The database the URL names, selected on the probe connection: ioredis only reports a failed
 * SELECT as an error event and goes on in database 0, so a database the server does not have
 * (redis://…/99 on 16) would put the keys in database 0 and leave workers retrying forever.
 */
async function checkDatabase(client: IORedis, db: number, url: string): Promise<void> {
  if (db === 0) return;
  try {
    await client.select(db);
  } catch (error) {
    // How many it has, when the server lets us ask (CONFIG may be renamed or refused).
    const count = await client.config("GET", "databases").then(
      (reply) => Number((reply as string[])[1]),
      () => NaN,
    );
    const has = Number.isInteger(count) && count > 0 ? `it has ${count}, numbered 0 to ${count - 1}` : "it cannot select it";
    throw new InputError(
      `Redis at ${displayUrl(url)} has no database ${db} (${(error as Error).message}; ${has}): ` +
        `name one it has after the port (redis://HOST:PORT/0), or start redis-server with --databases ${db + 1} or more`,
    );
  }
}

/**
 * Connects once, asks the server's version and selects the URL's database, so that an unreachable
 * or unusable Redis is an InputError (exit 2) naming the URL and what to do, before any work is queued.
 */
export async function checkRedis(url: string, timeoutMs = 5000): Promise<void> {
  const options = parseRedisUrl(url);
  const client = new IORedis({ ...options, lazyConnect: true, connectTimeout: timeoutMs, retryStrategy: () => null, maxRetriesPerRequest: 0, enableOfflineQueue: false });
  // connect() rejects with "Connection is closed."; the error event has the cause (ECONNREFUSED…).
  let cause = "";
  client.on("error", (error: Error) => {
    cause ||= error.message;
  });
  try {
    await client.connect();
    const info = await client.info("server");
    const version = /redis_version:(\d+)\.(\d+)/.exec(info);
    if (version && (Number(version[1]) < 6 || (Number(version[1]) === 6 && Number(version[2]) < 2))) {
      throw new InputError(`Redis at ${displayUrl(url)} is version ${version[1]}.${version[2]}; BullMQ needs 6.2 or later`);
    }
    await checkDatabase(client, options.db ?? 0, url);
  } catch (error) {
    if (error instanceof InputError) throw error;
    const message = cause || (error as Error).message;
    if (/NOAUTH|WRONGPASS|AUTH/i.test(message)) {
      throw new InputError(`Redis at ${displayUrl(url)} refused us (${message}); give its password in the URL: redis://:PASSWORD@HOST:PORT`);
    }
    throw new InputError(`cannot reach Redis at ${displayUrl(url)} (${message || "connection failed"}); ${redisHint(url)}`);
  } finally {
    client.disconnect();
  }
}

/** The promise's value, or undefined after `ms` (closing connections must not hang a run's end). */
export async function withTimeout<T>(promise: Promise<T> | undefined, ms: number): Promise<T | undefined> {
  if (!promise) return undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([promise, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
