// The desk's only ways out: Cognito (session.ts) and the API. Nothing else is fetched.
import { lang } from "./i18n";
import { currentSession, renewSession, restoreSession, sessionExpired, type CognitoSettings } from "./session";

export interface Config {
  /** Base URL of the API; empty: the page's own origin (the local gateway serves both). */
  apiUrl: string;
  cognito: CognitoSettings;
  /** Only the local stack's config.json has it: the demo users, shown on the sign-in page. */
  demo?: { users: string[]; password: string };
}

/** A refusal of the API: its problem+json, or a transport failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly body: Record<string, unknown>,
    readonly retryAfter: number | null,
  ) {
    super(detail);
  }
}

let config: Config;

export async function loadConfig(): Promise<Config> {
  const response = await fetch("config.json", { cache: "no-store" });
  config = (await response.json()) as Config;
  await restoreSession(config.cognito);
  return config;
}

export function deskConfig(): Config {
  return config;
}

export interface CallOptions {
  method?: string;
  body?: unknown;
  accept?: string;
  idempotencyKey?: string;
}

/** One API call with the ID token; a refusal becomes an ApiError with the service's own (translated) detail. */
export async function call<T>(path: string, options: CallOptions = {}): Promise<T> {
  const response = await send(path, options);
  return (await response.json()) as T;
}

/** Like {@link call}, for answers that are files (CSV). */
export async function download(path: string, options: CallOptions = {}): Promise<{ blob: Blob; fileName: string }> {
  const response = await send(path, { ...options, accept: "text/csv" });
  const disposition = response.headers.get("content-disposition") ?? "";
  const fileName = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? "claves.csv";
  return { blob: await response.blob(), fileName };
}

async function send(path: string, options: CallOptions): Promise<Response> {
  let session = currentSession();
  if (!session) throw new ApiError(401, "SESSION", "", {}, null);
  // A token about to expire (a laptop that slept through its renewal) is renewed first.
  if (session.expiresAt < Date.now() + 30_000) session = (await renew()) ? currentSession() : null;
  let response = session ? await fetchWith(session.idToken, path, options) : null;
  // A 401 is the gateway refusing the token (expired, revoked key): renew once and try again.
  if (response?.status === 401) response = (await renew()) ? await fetchWith(currentSession()!.idToken, path, options) : null;
  if (!response || response.status === 401) {
    sessionExpired();
    throw new ApiError(401, "SESSION", "", {}, null);
  }
  if (response.ok) return response;
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  const retry = response.headers.get("retry-after");
  throw new ApiError(response.status, String(body.code ?? "HTTP_" + response.status), String(body.detail ?? body.message ?? ""),
    body, retry ? Number(retry) : null);
}

async function renew(): Promise<boolean> {
  try {
    return await renewSession();
  } catch {
    throw new ApiError(0, "NETWORK", "", {}, null);
  }
}

async function fetchWith(idToken: string, path: string, options: CallOptions): Promise<Response> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${idToken}`,
    accept: options.accept ?? "application/json",
    "accept-language": lang(),
  };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (options.idempotencyKey) headers["idempotency-key"] = options.idempotencyKey;
  try {
    return await fetch(config.apiUrl + path, {
      method: options.method ?? (options.body === undefined ? "GET" : "POST"),
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError(0, "NETWORK", "", {}, null);
  }
}

/** A fresh Idempotency-Key per user action: a double click or a retry of the same action is applied once. */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}
