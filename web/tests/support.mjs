// What the desk's browser tests share: the run's local stack (STACK_FILE, its stack.json; its state
// directory beside it), Chromium, users of their own made through cognito-local's admin API, keys
// minted through the API, the SES inbox, screenshots, axe-core and keyboard-only helpers.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { chromium } from "playwright-core";

export const stack = JSON.parse(readFileSync(process.env.STACK_FILE, "utf8"));
export const stateDir = dirname(process.env.STACK_FILE);
export const desk = stack.apiUrl + "/";
export const password = stack.users.find((u) => u.username === "carlos.mendez").password;
const screens = process.env.SCREENS_DIR ?? "test-results/screens";
mkdirSync(screens, { recursive: true });

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
}

/** Script errors of every page of this test file; its last test asserts there are none. */
export const pageErrors = [];

/** A browser context as a Mexican distributor's: Spanish, 1280 x 860, downloads allowed; script errors collected. */
export async function newContext(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, acceptDownloads: true, locale: "es-MX", ...options });
  context.on("page", (page) => page.on("pageerror", (error) => pageErrors.push(String(error))));
  // A function's first invoke starts its runtime; on a loaded machine that alone took over 30 s.
  context.setDefaultTimeout(60_000);
  return context;
}

export async function shot(page, name) {
  await page.screenshot({ path: join(screens, name), fullPage: true });
}

// ---- Cognito ------------------------------------------------------------------------------------

export async function cognito(operation, body) {
  const response = await fetch(stack.cognito.endpoint, {
    method: "POST",
    headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": `AWSCognitoIdentityProviderService.${operation}` },
    body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  assert.ok(response.ok, `${operation}: ${JSON.stringify(answer)}`);
  return answer;
}

let users = 0;

/**
 * A user of the stack's pool, as the README's deploy steps create one (AdminCreateUser): with a
 * temporary password, or set permanent at once. Tests that fail attempts or change passwords take
 * their own users, so the demo users stay usable.
 */
export async function newUser({ distributorId = "dist-norte", group = "distributors", temporary = false, prefix = "desk" } = {}) {
  const username = `${prefix}${++users}-${crypto.randomUUID().slice(0, 6)}`;
  const email = `${username}@${distributorId ?? "vendor"}.example`;
  const attributes = [{ Name: "email", Value: email }, { Name: "email_verified", Value: "true" }];
  if (distributorId) attributes.push({ Name: "custom:distributor_id", Value: distributorId });
  const userPassword = temporary ? "Temporal-" + crypto.randomUUID().slice(0, 8) : "Prueba-" + crypto.randomUUID().slice(0, 8).toUpperCase() + "x1";
  await cognito("AdminCreateUser", { UserPoolId: stack.cognito.userPoolId, Username: username, TemporaryPassword: userPassword,
    MessageAction: "SUPPRESS", UserAttributes: attributes });
  if (!temporary) {
    await cognito("AdminSetUserPassword", { UserPoolId: stack.cognito.userPoolId, Username: username, Password: userPassword, Permanent: true });
  }
  await cognito("AdminAddUserToGroup", { UserPoolId: stack.cognito.userPoolId, Username: username, GroupName: group });
  return { username, password: userPassword, email, distributorId };
}

export async function idToken(username, userPassword) {
  const answer = await cognito("InitiateAuth", { AuthFlow: "USER_PASSWORD_AUTH", ClientId: stack.cognito.clientId,
    AuthParameters: { USERNAME: username, PASSWORD: userPassword ?? stack.users.find((u) => u.username === username).password } });
  return answer.AuthenticationResult.IdToken;
}

/**
 * The code cognito-local "emailed" for ForgotPassword: it keeps it on the user in its data file
 * (<state dir>/cognito/.cognito/db/<pool>.json) and prints it in its log.
 */
export function confirmationCode(username) {
  const db = join(stateDir, "cognito", ".cognito", "db");
  const file = readdirSync(db).find((name) => name.startsWith(stack.cognito.userPoolId));
  const pool = JSON.parse(readFileSync(join(db, file), "utf8"));
  return pool.Users?.[username]?.ConfirmationCode;
}

// ---- the API ------------------------------------------------------------------------------------

export async function api(token, path, { body, method, headers = {} } = {}) {
  const response = await fetch(stack.apiUrl + path, {
    method: method ?? (body === undefined ? "GET" : "POST"),
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json().catch(() => null) };
}

/** Keys minted by the admin for this test: [{keyId, key}]. */
export async function mint(quantity, sku = "SAE-12M") {
  const admin = await idToken("admin");
  const minted = await api(admin, "/v1/admin/key-batches",
    { body: { productSku: sku, quantity, note: "Prueba del escritorio" }, headers: { "idempotency-key": crypto.randomUUID() } });
  assert.equal(minted.status, 201, JSON.stringify(minted.body));
  return minted.body.keys;
}

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** A key no batch holds, with a right check character (the desk sends it; the service answers 422). */
export function unknownKey() {
  // The check: the sum over GF(32) of each symbol times alpha^position is zero (functions/core CheckCharacter).
  const exp = [];
  for (let i = 0, x = 1; i < 31; i++) {
    exp.push(x);
    x <<= 1;
    if (x & 32) x ^= 0b100101;
  }
  const log = new Array(32).fill(0);
  exp.forEach((v, i) => (log[v] = i));
  const times = (a, b) => (a === 0 || b === 0 ? 0 : exp[(log[a] + log[b]) % 31]);
  const values = Array.from(crypto.getRandomValues(new Uint8Array(24)), (b) => b % 32);
  const sum = values.reduce((s, v, i) => s ^ times(v, exp[i % 31]), 0);
  values.push(times(sum, exp[(31 - 24) % 31]));
  const symbols = values.map((v) => ALPHABET[v]).join("");
  return symbols.match(/.{5}/g).join("-");
}

export async function emailsAbout(fragment) {
  const store = await (await fetch(new URL("/store", stack.ses.endpoint))).json();
  return store.emails.filter((e) => e.subject.includes(fragment));
}

/** Polls the inbox until an email about the key's masked end arrives (the notifier sends it from the table's stream). */
export async function awaitEmail(fragment) {
  for (let i = 0; i < 150; i++) {
    const emails = await emailsAbout(fragment);
    if (emails.length) return emails;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`no email about ${fragment}`);
}

// ---- the desk -----------------------------------------------------------------------------------

export async function signIn(page, username, userPassword = password) {
  await page.goto(desk);
  await page.getByLabel(/^(Usuario|User)$/).fill(username);
  await page.getByLabel(/^(Contraseña|Password)$/).fill(userPassword);
  await page.getByRole("button", { name: /Iniciar sesión|Sign in/ }).click();
  await page.getByRole("navigation").waitFor();
}

/** Opens the Filtro panel (the button toggles it). */
export async function openFilter(page) {
  const button = page.getByRole("button", { name: "Filtro" });
  if ((await button.getAttribute("aria-expanded")) !== "true") await button.click();
}

/** Waits until the list has loaded and shows {@code count} rows. */
export async function waitForRows(page, count) {
  await page.waitForFunction((n) => !document.querySelector(".table-wrap[aria-busy]")
    && document.querySelectorAll("tbody tr").length === n, count);
}

// ---- accessibility ------------------------------------------------------------------------------

const axeResults = [];

/**
 * axe-core on what the page shows now (WCAG 2.x A and AA, and best practices): no serious or
 * critical violation. Each screen's result goes to axe-results.json beside the screenshots.
 */
export async function checkAccessibility(page, screen) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]).analyze();
  const severe = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const summary = {
    screen,
    passes: results.passes.length,
    violations: results.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })),
  };
  axeResults.push(summary);
  writeFileSync(join(screens, `axe-${process.pid}.json`), JSON.stringify(axeResults, null, 1));
  assert.deepEqual(severe.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join("; ")}`), [],
    `no serious or critical accessibility violation on ${screen}`);
  return summary;
}

// ---- the keyboard alone -------------------------------------------------------------------------

/** What has the focus: its role-ish tag, accessible name and whether the focus ring shows. */
export async function focused(page) {
  return page.evaluate(() => {
    const e = document.activeElement;
    if (!e || e === document.body) return { tag: "body", name: "", visible: false };
    const label = e.id ? document.querySelector(`label[for="${e.id}"]`)?.textContent : null;
    const name = (e.getAttribute("aria-label") ?? label ?? e.textContent ?? "").trim();
    const style = getComputedStyle(e);
    // the desk's focus ring (style.css): an outline as it is drawn now
    const visible = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    return { tag: e.tagName.toLowerCase(), type: e.getAttribute("type") ?? "", name, visible };
  });
}

/**
 * Presses Tab (or Shift+Tab) until the focus is on the control named {@code name}, as a keyboard
 * user would; fails when it is not reachable within {@code limit} presses. Every stop shows a focus ring.
 */
export async function tabTo(page, name, { backwards = false, limit = 60 } = {}) {
  const wanted = typeof name === "string" ? (n) => n === name : (n) => name.test(n);
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press(backwards ? "Shift+Tab" : "Tab");
    const now = await focused(page);
    if (now.tag !== "body") assert.ok(now.visible, `the focus shows on ${now.tag} "${now.name}"`);
    if (wanted(now.name)) return now;
  }
  assert.fail(`"${name}" is not reachable with Tab`);
}
