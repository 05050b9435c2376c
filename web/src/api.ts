// The desk's only ways out: Cognito (sign-in) and the API. Nothing else is fetched.
import { lang } from "./i18n";

export interface Config {
  /** Base URL of the API; empty: the page's own origin (the local gateway serves both). */
  apiUrl: string;
  cognito: { endpoint: string; clientId: string; region: string };
}

export interface Session {
  idToken: string;
  email: string;
  groups: string[];
  distributorId: string | null;
  expiresAt: number;
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
let session: Session | null = null;

export async function loadConfig(): Promise<Config> {
  const response = await fetch("config.json", { cache: "no-store" });
  config = (await response.json()) as Config;
  const saved = sessionStorage.getItem("session");
  if (saved) {
    const parsed = JSON.parse(saved) as Session;
    if (parsed.expiresAt > Date.now() + 30_000) session = parsed;
  }
  return config;
}

export function currentSession(): Session | null {
  return session;
}

export function signOut(): void {
  session = null;
  sessionStorage.removeItem("session");
}

/** USER_PASSWORD_AUTH against the user pool's app client; the ID token is what the API accepts. */
export async function signIn(username: string, password: string): Promise<Session> {
  const endpoint = config.cognito.endpoint || `https://cognito-idp.${config.cognito.region}.amazonaws.com/`;
  const response = await fetch(endpoint, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": "AWSCognitoIdentityProviderService.InitiateAuth",
    },
    body: JSON.stringify({
      AuthFlow: "USER_PASSWORD_AUTH",
      ClientId: config.cognito.clientId,
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  });
  const body = await response.json().catch(() => ({}));
  const token = body?.AuthenticationResult?.IdToken as string | undefined;
  if (!response.ok || !token) throw new ApiError(response.status || 401, "SIGN_IN_FAILED", "", body, null);
  const claims = JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/"))) as Record<string, unknown>;
  const groups = claims["cognito:groups"];
  session = {
    idToken: token,
    email: String(claims.email ?? username),
    groups: Array.isArray(groups) ? groups.map(String) : [],
    distributorId: (claims["custom:distributor_id"] as string | undefined) ?? null,
    expiresAt: Number(claims.exp) * 1000,
  };
  sessionStorage.setItem("session", JSON.stringify(session));
  return session;
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
  if (!session) throw new ApiError(401, "SESSION", "", {}, null);
  const headers: Record<string, string> = {
    authorization: `Bearer ${session.idToken}`,
    accept: options.accept ?? "application/json",
    "accept-language": lang(),
  };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (options.idempotencyKey) headers["idempotency-key"] = options.idempotencyKey;
  let response: Response;
  try {
    response = await fetch(config.apiUrl + path, {
      method: options.method ?? (options.body === undefined ? "GET" : "POST"),
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError(0, "NETWORK", "", {}, null);
  }
  if (response.ok) return response;
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  const retry = response.headers.get("retry-after");
  throw new ApiError(response.status, String(body.code ?? (response.status === 401 ? "SESSION" : "HTTP_" + response.status)),
    String(body.detail ?? body.message ?? ""), body, retry ? Number(retry) : null);
}

/** A fresh Idempotency-Key per user action: a double click or a retry of the same action is applied once. */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}
