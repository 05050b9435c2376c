// Issue 19's screens of the back office: "Distribuidores" (the accounts, one opened: its record saved,
// suspended and reactivated, its users from Cognito), "Bloqueos" (the guessing locks in force, a
// user's lifted) and "Bitácora" (the back office's writes, newest first, filtered and paged). Each
// test failed on the desk before its screen existed. Every account and user here is this test's own:
// suspending or locking the demo distributors would break the other files' tests running beside it.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  api, checkAccessibility, focused, idToken, launch, mint, newContext, newUser, pageErrors, shot, signIn, tabTo, unknownKey,
} from "./support.mjs";

let browser;
let context;
let page;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

async function adminPage({ language } = {}) {
  await context?.close();
  context = await newContext(browser);
  page = await context.newPage();
  if (language === "en") await page.addInitScript(() => localStorage.setItem("lang", "en"));
  await signIn(page, "admin");
  return page;
}

async function noViolations(screen) {
  const summary = await checkAccessibility(page, screen);
  assert.deepEqual(summary.violations, [], `no accessibility violation of any impact on ${screen}`);
}

async function openMenu(name) {
  await page.getByRole("navigation").getByRole("link", { name, exact: true }).click();
  await page.getByRole("heading", { name, exact: true }).waitFor();
}

/** A distributor account of this test's own, saved through the API, with one user of its own. */
async function ownDistributor() {
  const distributorId = `dist-prueba-${crypto.randomUUID().slice(0, 8)}`;
  const saved = await api(await idToken("admin"), `/v1/admin/distributors/${distributorId}`, {
    method: "PUT",
    body: { name: "Distribuidora de Prueba", rfc: "DNO010101AB0", contactEmail: `compras@${distributorId}.example`, status: "ACTIVE" },
  });
  assert.equal(saved.status, 201, JSON.stringify(saved.body));
  const user = await newUser({ distributorId, prefix: "bo" });
  return { distributorId, user };
}

async function until(what, check) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await check();
    if (value) return value;
    assert.ok(Date.now() < deadline, `within 30 s: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

test("Distribuidores: a row opens the account; suspending says what it does and the status shows it; its users are listed", async () => {
  const { distributorId, user } = await ownDistributor();
  await adminPage();
  await openMenu("Distribuidores");
  const row = page.locator("main tbody tr").filter({ hasText: distributorId });
  // the list is in id order, a page at a time: ours may be on a later page
  for (let i = 0; i < 20 && !(await row.count()); i++) {
    await page.waitForFunction(() => !document.querySelector("[aria-busy='true']"));
    if (await row.count()) break;
    await page.getByRole("button", { name: "Más distribuidores" }).click();
  }
  await row.waitFor();
  assert.match(await row.innerText(), /Distribuidora de Prueba[\s\S]*DNO010101AB0[\s\S]*Activa/);
  await shot(page, "24-admin-distribuidores.png");
  await noViolations("back office: distributors");

  await row.getByRole("link", { name: distributorId }).click();
  await page.getByRole("heading", { name: distributorId }).waitFor();
  // the record shows once it has come (the form is hidden until then)
  await page.getByLabel("Nombre o razón social").waitFor();
  assert.equal(await page.getByLabel("Nombre o razón social").inputValue(), "Distribuidora de Prueba");
  assert.equal(await page.getByLabel("RFC").inputValue(), "DNO010101AB0");
  const users = page.getByRole("table", { name: /Usuarios/ });
  await users.getByRole("row").filter({ hasText: user.username }).waitFor();
  assert.match(await users.getByRole("row").filter({ hasText: user.username }).innerText(), new RegExp(`${user.email}[\\s\\S]*Sí`));

  // the record saved as edited
  await page.getByLabel("Correo de contacto").fill(`ventas@${distributorId}.example`);
  await page.getByRole("button", { name: "Guardar" }).click();
  await page.getByText("Se guardó la cuenta").waitFor();
  const admin = await idToken("admin");
  assert.equal((await api(admin, `/v1/admin/distributors/${distributorId}`)).body.contactEmail, `ventas@${distributorId}.example`);

  // a refusal beside the field it names
  await page.getByLabel("RFC").fill("DNO010101AB1");
  await page.getByRole("button", { name: "Guardar" }).click();
  await page.waitForFunction(() => document.querySelector("input[name=rfc]")?.getAttribute("aria-invalid") === "true");
  assert.equal((await focused(page)).name, "RFC", "the focus goes to the field to correct");
  await page.getByLabel("RFC").fill("DNO010101AB0");

  await page.getByRole("button", { name: "Suspender la cuenta" }).click();
  const dialog = page.getByRole("dialog", { name: /Suspender/ });
  const said = await dialog.innerText();
  assert.match(said, /no podrán capturar, confirmar ni asignar/, said);
  assert.match(said, /no se pierde nada/i, said);
  await shot(page, "25-admin-distribuidor-suspender.png");
  await noViolations("back office: suspend a distributor");
  await dialog.getByRole("button", { name: "Suspender", exact: true }).click();
  await page.locator("main .badge").filter({ hasText: "Suspendida" }).waitFor();
  assert.equal((await api(admin, `/v1/admin/distributors/${distributorId}`)).body.status, "SUSPENDED");
  // its user can read but not capture
  const refused = await api(await idToken(user.username, user.password), "/v1/prepaid-keys/capture", { body: { key: unknownKey() } });
  assert.equal(refused.body?.code, "ACCOUNT_SUSPENDED", JSON.stringify(refused.body));
  await shot(page, "26-admin-distribuidor.png");
  await noViolations("back office: a distributor");

  await page.getByRole("button", { name: "Reactivar la cuenta" }).click();
  await page.getByRole("dialog", { name: /Reactivar/ }).getByRole("button", { name: "Reactivar", exact: true }).click();
  await page.locator("main .badge").filter({ hasText: "Activa" }).waitFor();
  assert.equal((await api(admin, `/v1/admin/distributors/${distributorId}`)).body.status, "ACTIVE");

  // Back: the list, with the account's status as it is now
  await openMenu("Distribuidores");
  await page.locator("main tbody tr").first().waitFor();
});

test("Bloqueos: a user's lock from a burst of failed captures is listed, in words, and lifted", async () => {
  const { distributorId, user } = await ownDistributor();
  const token = await idToken(user.username, user.password);
  for (let i = 0; i < 10; i++) {
    const failed = await api(token, "/v1/prepaid-keys/capture", { body: { key: unknownKey() } });
    assert.ok([422, 429].includes(failed.status), JSON.stringify(failed.body));
  }
  const admin = await idToken("admin");
  const lock = await until("the user's lock is in force", async () =>
    (await api(admin, "/v1/admin/lockouts")).body?.items?.find((l) => l.scope === "USER" && l.username === user.username));
  assert.equal(lock.distributorId, distributorId);

  await adminPage();
  await openMenu("Bloqueos");
  const row = page.locator("main tbody tr").filter({ hasText: user.username });
  await row.waitFor();
  const text = await row.innerText();
  assert.match(text, new RegExp(distributorId));
  assert.match(text, /hasta las \d{1,2}:\d{2}.*\(en \d+ minutos?\)/s, text);
  await shot(page, "27-admin-bloqueos.png");
  await noViolations("back office: locks");

  await row.getByRole("button", { name: new RegExp(`Levantar.*${user.username}`) }).click();
  const dialog = page.getByRole("dialog", { name: /Levantar/ });
  assert.match(await dialog.innerText(), new RegExp(user.username));
  await dialog.getByRole("button", { name: "Levantar", exact: true }).click();
  await page.getByText(`Se levantó el bloqueo de ${user.username}`).waitFor();
  await page.waitForFunction((name) => !document.querySelector("[aria-busy='true']")
    && ![...document.querySelectorAll("main tbody tr")].some((tr) => tr.textContent.includes(name)), user.username);
  const left = (await api(admin, "/v1/admin/lockouts")).body?.items ?? [];
  assert.ok(!left.some((l) => l.userId === lock.userId), "the lock is gone from the service too");
  const again = await api(token, "/v1/prepaid-keys/capture", { body: { key: unknownKey() } });
  assert.equal(again.status, 422, "the user may try again: " + JSON.stringify(again.body));
});

test("Bitácora: a key's void appears with its actor; filters by action and actor; pages", async () => {
  const [key] = await mint(1);
  const admin = await idToken("admin");
  const voided = await api(admin, `/v1/admin/prepaid-keys/${key.keyId}/void`,
    { body: { reason: "Prueba de la bitácora" }, headers: { "idempotency-key": crypto.randomUUID() } });
  assert.equal(voided.status, 200, JSON.stringify(voided.body));
  await adminPage();
  await openMenu("Bitácora");
  const row = page.locator("main tbody tr").filter({ hasText: key.keyId });
  await row.waitFor();
  const cells = Object.fromEntries(await row.locator("td").evaluateAll((tds) => tds.map((td) => [td.dataset.label, td.innerText.trim()])));
  assert.equal(cells["Acción"], "Clave anulada", JSON.stringify(cells));
  assert.equal(cells["Quién"], "admin", JSON.stringify(cells));
  await shot(page, "28-admin-bitacora.png");
  await noViolations("back office: audit log");

  await page.getByLabel("Acción").selectOption({ label: "Lote emitido" });
  await page.getByLabel("Quién", { exact: true }).fill("admin");
  await page.getByRole("button", { name: "Buscar", exact: true }).click();
  await page.waitForFunction(() => !document.querySelector("[aria-busy='true']") && document.querySelectorAll("main tbody tr").length > 0);
  const actions = await page.locator("main tbody td[data-label='Acción']").allInnerTexts();
  assert.ok(actions.every((a) => a === "Lote emitido"), actions.join());
  assert.equal(await row.count(), 0, "the void is filtered out");

  // a date range that ends before the service began: nothing, said in words
  await page.getByLabel("Desde").fill("2020-01-01");
  await page.getByLabel("Hasta").fill("2020-01-31");
  await page.getByRole("button", { name: "Buscar", exact: true }).click();
  await page.getByText("Ninguna entrada de la bitácora").waitFor();
  // a range the service refuses: beside its field
  await page.getByLabel("Desde").fill("2018-01-01");
  await page.getByRole("button", { name: "Buscar", exact: true }).click();
  await page.waitForFunction(() => document.querySelector("input[name=from]")?.getAttribute("aria-invalid") === "true");

  // paging: every batch minted is an entry; more than a page (25) of them within the last 30 days
  const minted = await api(admin, "/v1/admin/audit?action=BATCH_MINTED&actor=admin&limit=100");
  for (let i = (minted.body.items ?? []).length; i < 26; i++) await mint(1);
  await page.getByLabel("Desde").fill("");
  await page.getByLabel("Hasta").fill("");
  await page.getByRole("button", { name: "Buscar", exact: true }).click();
  await page.waitForFunction(() => !document.querySelector("[aria-busy='true']") && document.querySelectorAll("main tbody tr").length > 0);
  const first = await page.locator("main tbody tr").count();
  assert.ok(first <= 25, `a page holds at most 25 entries: ${first}`);
  await page.getByRole("button", { name: "Más entradas" }).click();
  await page.waitForFunction((n) => !document.querySelector("[aria-busy='true']") && document.querySelectorAll("main tbody tr").length > n, first);
  assert.equal(await page.evaluate(() => document.activeElement?.tagName), "TR", "the focus goes to the first entry the page brought");
  const ids = await page.locator("main tbody td[data-label='Solicitud']").allInnerTexts();
  assert.equal(new Set(ids).size, ids.length, "no entry twice");
  const times = await page.locator("main tbody tr").evaluateAll((trs) => trs.map((tr) => tr.dataset.at));
  assert.deepEqual([...times].sort().reverse(), times, "newest first");
});

test("the three screens in English, with the keyboard alone", async () => {
  await adminPage({ language: "en" });
  for (const [menu, heading] of [["Distributors", "Distributors"], ["Locks", "Locks"], ["Audit log", "Audit log"]]) {
    await tabTo(page, menu, { backwards: true });
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: heading, exact: true }).waitFor();
    await page.waitForFunction(() => !document.querySelector("[aria-busy='true']"));
    await noViolations(`back office: ${menu} (English)`);
  }
  // a distributor opened with the keyboard
  await tabTo(page, "Distributors", { backwards: true });
  await page.keyboard.press("Enter");
  await page.locator("main tbody tr").first().waitFor();
  await tabTo(page, "dist-norte");
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "dist-norte" }).waitFor();
  await page.getByRole("table", { name: /Users/ }).getByRole("row").filter({ hasText: "carlos.mendez" }).waitFor();
  await noViolations("back office: a distributor (English)");
  await tabTo(page, "Suspend the account");
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: /Suspend/ });
  await dialog.waitFor();
  assert.match(await dialog.innerText(), /cannot capture, confirm or assign/);
  // Enter on the safe choice: nothing suspended
  assert.equal((await focused(page)).name, "Cancel");
  await page.keyboard.press("Enter");
  await dialog.waitFor({ state: "detached" });
  assert.equal((await api(await idToken("admin"), "/v1/admin/distributors/dist-norte")).body.status, "ACTIVE");
});

test("no page threw a script error", () => {
  assert.deepEqual(pageErrors, []);
});
