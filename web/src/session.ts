// Who is signed in: Cognito's tokens, straight from the page to the user pool (USER_PASSWORD_AUTH,
// the app client allows it). The session is renewed with the refresh token before the ID token
// expires, and after a 401; when it cannot be renewed it ends and the desk asks to sign in again.
//
// Tabs share one session. Each tab keeps it in sessionStorage (gone with the browser, never on disk
// for long) and hands it to new tabs over a BroadcastChannel, which also carries renewals and
// sign-outs: tokens never go through a URL, and a tab opened later is signed in at once.

export interface CognitoSettings {
  /** Empty: Cognito's own endpoint in `region`; locally, cognito-local's. */
  endpoint: string;
  clientId: string;
  region: string;
}

export interface Session {
  idToken: string;
  refreshToken?: string;
  username: string;
  email: string;
  groups: string[];
  distributorId: string | null;
  /** When the ID token expires (ms since the epoch). */
  expiresAt: number;
  issuedAt: number;
}

/** A refusal of Cognito: its error type (NotAuthorizedException...), or NETWORK. */
export class AuthError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

/** What a sign-in asks for next: nothing (signed in), or a new password for a temporary one. */
export type SignInStep = { kind: "done" } | { kind: "newPassword"; username: string; challenge: string };

export type SessionEvent = "signedIn" | "renewed" | "signedOut" | "expired";

const STORAGE = "session";
const RENEW_BEFORE = 5 * 60_000;

let cognitoSettings: CognitoSettings;
let session: Session | null = null;
let renewing: Promise<boolean> | null = null;
let renewTimer: ReturnType<typeof setTimeout> | undefined;
let expiryTimer: ReturnType<typeof setTimeout> | undefined;
const listeners: ((event: SessionEvent) => void)[] = [];
const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("desk-session") : null;

type TabMessage = { type: "ask" } | { type: "session"; session: Session } | { type: "end"; reason: "signedOut" | "expired" };

export function currentSession(): Session | null {
  return session;
}

export function onSessionChange(listener: (event: SessionEvent) => void): void {
  listeners.push(listener);
}

/** This tab's session, or another open tab's (a new tab asks them): called once at start. */
export async function restoreSession(settings: CognitoSettings): Promise<void> {
  cognitoSettings = settings;
  try {
    const saved = JSON.parse(sessionStorage.getItem(STORAGE) ?? "null") as Session | null;
    if (saved?.idToken && (saved.expiresAt > Date.now() || saved.refreshToken)) session = saved;
  } catch {
    sessionStorage.removeItem(STORAGE);
  }
  if (!session && channel) {
    channel.postMessage({ type: "ask" } satisfies TabMessage);
    // Another tab answers at once; a lone tab waits this long before showing the sign-in.
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (session) schedule();
}

channel?.addEventListener("message", (event: MessageEvent<TabMessage>) => {
  const message = event.data;
  if (message.type === "ask" && session) channel.postMessage({ type: "session", session } satisfies TabMessage);
  else if (message.type === "session") adopt(message.session, false);
  else if (message.type === "end") end(message.reason, false);
});

function adopt(next: Session, tell: boolean): void {
  const sameUser = session?.username === next.username;
  if (session?.idToken === next.idToken) return;
  // Two tabs that renewed at once: keep the newer token.
  if (!tell && sameUser && session && next.issuedAt < session.issuedAt) return;
  session = next;
  sessionStorage.setItem(STORAGE, JSON.stringify(next));
  if (tell) channel?.postMessage({ type: "session", session: next } satisfies TabMessage);
  schedule();
  emit(sameUser ? "renewed" : "signedIn");
}

function end(reason: "signedOut" | "expired", tell: boolean): void {
  clearTimeout(renewTimer);
  clearTimeout(expiryTimer);
  const had = session !== null;
  session = null;
  sessionStorage.removeItem(STORAGE);
  if (tell) channel?.postMessage({ type: "end", reason } satisfies TabMessage);
  if (had) emit(reason);
}

function emit(event: SessionEvent): void {
  for (const listener of listeners) listener(event);
}

/** Renews before the ID token expires; if the token expires all the same, tries once more, then ends the session. */
function schedule(): void {
  clearTimeout(renewTimer);
  clearTimeout(expiryTimer);
  if (!session) return;
  const lifetime = session.expiresAt - session.issuedAt;
  // Five minutes before the end (a fifth of the lifetime for short tokens); a little spread so
  // that several tabs do not all renew at the same instant.
  const lead = Math.min(RENEW_BEFORE, lifetime / 5) + Math.random() * 10_000;
  renewTimer = setTimeout(() => void renewSession(), Math.max(0, session.expiresAt - lead - Date.now()));
  expiryTimer = setTimeout(() => void expireUnlessRenewed(), Math.max(0, session.expiresAt - Date.now()));
}

async function expireUnlessRenewed(): Promise<void> {
  if (renewing) await renewing;
  if (session && session.expiresAt <= Date.now() + 1_000 && !(await renewSession())) end("expired", true);
}

/**
 * A new ID token from the refresh token. True when renewed; false when Cognito refused (the
 * session is over: revoked, expired, or the user was disabled); a network failure throws.
 */
export function renewSession(): Promise<boolean> {
  renewing ??= (async () => {
    const current = session;
    if (!current?.refreshToken) return false;
    try {
      const answer = await cognito<{ AuthenticationResult?: { IdToken?: string; RefreshToken?: string } }>("InitiateAuth", {
        AuthFlow: "REFRESH_TOKEN_AUTH",
        ClientId: cognitoSettings.clientId,
        AuthParameters: { REFRESH_TOKEN: current.refreshToken },
      });
      const token = answer.AuthenticationResult?.IdToken;
      if (!token) return false;
      adopt(fromTokens(token, answer.AuthenticationResult?.RefreshToken ?? current.refreshToken), true);
      return true;
    } catch (error) {
      if ((error as AuthError).code === "NETWORK") {
        // Offline for now: try again in a minute, while the token lasts.
        clearTimeout(renewTimer);
        renewTimer = setTimeout(() => void renewSession(), 60_000);
        throw error;
      }
      return false;
    }
  })().finally(() => {
    renewing = null;
  });
  return renewing;
}

/** The session has ended for good (a 401 that renewing did not cure): every tab goes back to sign-in. */
export function sessionExpired(): void {
  end("expired", true);
}

export function signOut(): void {
  const token = session?.refreshToken;
  end("signedOut", true);
  // Revoking makes the refresh token useless to anyone who copied it; the answer does not matter.
  if (token) cognito("RevokeToken", { Token: token, ClientId: cognitoSettings.clientId }).catch(() => undefined);
}

export async function signIn(username: string, password: string): Promise<SignInStep> {
  const answer = await cognito<AuthAnswer>("InitiateAuth", {
    AuthFlow: "USER_PASSWORD_AUTH",
    ClientId: cognitoSettings.clientId,
    AuthParameters: { USERNAME: username, PASSWORD: password },
  });
  return step(username, answer);
}

/** Answers NEW_PASSWORD_REQUIRED: a user created with a temporary password chooses their own. */
export async function chooseNewPassword(username: string, challenge: string, newPassword: string): Promise<SignInStep> {
  const answer = await cognito<AuthAnswer>("RespondToAuthChallenge", {
    ChallengeName: "NEW_PASSWORD_REQUIRED",
    ClientId: cognitoSettings.clientId,
    Session: challenge,
    ChallengeResponses: { USERNAME: username, NEW_PASSWORD: newPassword },
  });
  return step(username, answer);
}

/** "¿Olvidaste tu contraseña?": Cognito emails a code to the user's verified address. */
export async function forgotPassword(username: string): Promise<void> {
  await cognito("ForgotPassword", { ClientId: cognitoSettings.clientId, Username: username });
}

export async function resetPassword(username: string, code: string, newPassword: string): Promise<void> {
  await cognito("ConfirmForgotPassword", {
    ClientId: cognitoSettings.clientId, Username: username, ConfirmationCode: code, Password: newPassword,
  });
}

interface AuthAnswer {
  ChallengeName?: string;
  Session?: string;
  AuthenticationResult?: { IdToken?: string; RefreshToken?: string };
}

function step(username: string, answer: AuthAnswer): SignInStep {
  const token = answer.AuthenticationResult?.IdToken;
  if (token) {
    adopt(fromTokens(token, answer.AuthenticationResult?.RefreshToken), true);
    return { kind: "done" };
  }
  if (answer.ChallengeName === "NEW_PASSWORD_REQUIRED" && answer.Session) {
    return { kind: "newPassword", username, challenge: answer.Session };
  }
  // MFA and other challenges: the hosted UI's business (README), not this page's.
  throw new AuthError(`CHALLENGE_${answer.ChallengeName ?? "UNKNOWN"}`);
}

function fromTokens(idToken: string, refreshToken: string | undefined): Session {
  const claims = JSON.parse(base64UrlDecode(idToken.split(".")[1])) as Record<string, unknown>;
  const groups = claims["cognito:groups"];
  return {
    idToken,
    refreshToken,
    username: String(claims["cognito:username"] ?? ""),
    email: String(claims.email ?? ""),
    groups: Array.isArray(groups) ? groups.map(String) : [],
    distributorId: (claims["custom:distributor_id"] as string | undefined) ?? null,
    expiresAt: Number(claims.exp) * 1000,
    issuedAt: Number(claims.iat ?? claims.auth_time) * 1000,
  };
}

function base64UrlDecode(part: string): string {
  const bytes = Uint8Array.from(atob(part.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

async function cognito<T>(operation: string, body: object): Promise<T> {
  const endpoint = cognitoSettings.endpoint || `https://cognito-idp.${cognitoSettings.region}.amazonaws.com/`;
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": `AWSCognitoIdentityProviderService.${operation}` },
      body: JSON.stringify(body),
    });
  } catch {
    throw new AuthError("NETWORK");
  }
  const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) throw new AuthError(String(answer.__type ?? answer.code ?? "UNKNOWN").split("#").pop() ?? "UNKNOWN");
  return answer as T;
}
