// How a refusal reads. The service's problem+json names fields as the API does ("client.rfc",
// "activatedFrom", "confirmRfc"); people read the labels of the fields they typed into, in their
// language. Codes whose service text speaks to API callers get the desk's own words.
import { ApiError } from "./api";
import { known, t, type TextKey } from "./i18n";

/** The label of an API field (a body path, a query parameter), or null for one the desk never sends. */
export function fieldLabel(field: string): string | null {
  return known(`field.${field}`);
}

/** A service text with every quoted API field name replaced by its label: `El campo "client.name"` -> `El campo «Nombre o razón social»`. */
function humanize(text: string): string {
  return text.replace(/"([A-Za-z][\w.-]*)"/g, (quoted, name: string) => {
    const label = fieldLabel(name);
    return label ? `«${label}»` : quoted;
  });
}

const LIST_PARAMETERS: Record<string, TextKey> = {
  product: "error.list.product",
  client: "error.list.client",
  q: "error.list.q",
  activatedFrom: "error.list.date",
  activatedTo: "error.list.date",
  sort: "error.list.sort",
};

const OWN_WORDS = ["CLIENT_RFC_CHECK_DIGIT", "EMAIL_HELD", "CURSOR_INVALID", "EXPORT_TOO_LARGE", "IDEMPOTENCY_KEY_REUSED",
  "REQUEST_IN_PROGRESS", "SESSION"];

/** What went wrong, in the reader's language, with labels instead of API field names. */
export function describe(error: unknown): string {
  if (!(error instanceof ApiError) || error.code === "NETWORK") return t("error.network");
  const body = error.body;
  if (error.code === "TOO_MANY_ATTEMPTS") return lockText(error.retryAfter ?? Number(body.retryAfter ?? 900), String(body.lockScope ?? "USER"));
  if (error.code === "KEY_NOT_REDEEMABLE") return [error.detail, attemptsLeftText(body.attemptsLeft)].filter(Boolean).join(" ");
  if (error.code === "BATCH_INCOMPLETE") return t("error.BATCH_INCOMPLETE", Number(body.written), Number(body.quantity));
  if (OWN_WORDS.includes(error.code)) return t(`error.${error.code}` as TextKey);
  if (error.code === "REQUEST_INVALID") {
    const errors = Array.isArray(body.errors) ? (body.errors as { field: string; detail: string }[]) : [];
    return errors.map((e) => {
      const list = error.status === 400 && LIST_PARAMETERS[e.field];
      const label = fieldLabel(e.field);
      if (list) return t("error.field", label ?? e.field, t(list));
      return label ? humanize(e.detail) : t("error.invalid");
    }).join(" ") || t("error.invalid");
  }
  if (error.code.startsWith("HTTP_")) return error.status === 429 || error.status >= 500 ? t("error.busy") : t("error.generic", error.status);
  const text = humanize(error.detail) || t("error.generic", error.code);
  return error.status >= 500 && body.requestId ? `${text} ${t("error.requestId", String(body.requestId))}` : text;
}

/**
 * A REQUEST_INVALID's problems by the field they name, for the screen to show each beside its field:
 * the desk's own words where {@code ownWords} has them, else the service's with labels for field
 * names. Empty for any other refusal (describe() words those).
 */
export function fieldProblems(error: unknown, ownWords: Record<string, TextKey>): { field: string; text: string }[] {
  if (!(error instanceof ApiError) || error.code !== "REQUEST_INVALID" || !Array.isArray(error.body.errors)) return [];
  return (error.body.errors as { field: string; detail: string }[]).map((e) => ({
    field: e.field,
    text: ownWords[e.field] ? t(ownWords[e.field]) : fieldLabel(e.field) ? humanize(e.detail) : t("error.invalid"),
  }));
}

/** From the 8th failed attempt on, how many are left; before that, the refusal alone. */
function attemptsLeftText(left: unknown): string {
  if (typeof left !== "number" || left > 2) return "";
  return left === 0 ? t("attempts.none") : left === 1 ? t("attempts.leftOne") : t("attempts.left", left);
}

/** Whose failures locked the user out, and when it ends: a clock time and how long from now. */
function lockText(seconds: number, scope: string): string {
  const until = new Date(Date.now() + seconds * 1000);
  const at = new Intl.DateTimeFormat(document.documentElement.lang || "es-MX", { timeStyle: "short" }).format(until);
  const minutes = Math.ceil(seconds / 60);
  const wait = seconds < 60 ? t("wait.seconds", seconds) : minutes === 1 ? t("wait.minute") : t("wait.minutes", minutes);
  return t(scope === "DISTRIBUTOR" ? "lock.distributor" : "lock.user", at, wait);
}
