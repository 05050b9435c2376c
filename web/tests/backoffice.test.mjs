// The back office's two lists (issue 18 #8, issue 19's screens): "Buscar una clave" finds any key by
// what people read (the last five characters a distributor reads out on the phone, a batch id, a
// distributor id), and "Lista de lotes" shows the batches newest first with their counts. Each test
// failed on the desk before these screens existed.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  api, checkAccessibility, desk, idToken, launch, mint, newContext, pageErrors, shot, signIn, tabTo, focused,
} from "./support.mjs";

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const MASK = "*****-*****-*****-*****-";

let browser;
let context;
let page;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

/** A fresh page signed in as the back office (the stack's admin), in Spanish unless told. */
async function adminPage({ viewport, language } = {}) {
  await context?.close();
  context = await newContext(browser, viewport ? { viewport } : {});
  page = await context.newPage();
  if (language === "en") await page.addInitScript(() => localStorage.setItem("lang", "en"));
  await signIn(page, "admin");
  return page;
}

/** A key confirmed by carlos.mendez (dist-norte) and assigned to a client, as the phone call is about. */
async function usedKey() {
  const [key] = await mint(1);
  const token = await idToken("carlos.mendez");
  const captured = await api(token, "/v1/prepaid-keys/capture", { body: { key: key.key } });
  assert.equal(captured.status, 200, JSON.stringify(captured.body));
  const confirmed = await api(token, "/v1/prepaid-keys/confirm",
    { body: { key: key.key, acceptLicense: true, licenseVersion: captured.body.license.version } });
  assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
  const assigned = await api(token, `/v1/prepaid-keys/${key.keyId}/assign`,
    { body: { client: { rfc: "TME840315KT6", name: "Teléfonos de México" } }, headers: { "idempotency-key": crypto.randomUUID() } });
  assert.equal(assigned.status, 200, JSON.stringify(assigned.body));
  return key;
}

/** The batch id of minted keys, as the back office reads it. */
async function batchOf(keyId) {
  const found = await api(await idToken("admin"), `/v1/admin/prepaid-keys/${keyId}`);
  assert.equal(found.status, 200, JSON.stringify(found.body));
  return found.body.key.batchId;
}

/** Waits until the results hold {@code count} rows and nothing is loading. */
async function waitForResults(count) {
  await page.waitForFunction((n) => !document.querySelector("[aria-busy='true']")
    && document.querySelectorAll("main tbody tr").length === n, count);
}

async function openFind() {
  await page.getByRole("navigation").getByRole("link", { name: /^(Buscar una clave|Find a key)$/ }).click();
  await page.getByRole("heading", { name: /^(Buscar una clave|Find a key)$/ }).waitFor();
}

/** Axe on this screen: none of its rules broken, whatever the impact. */
async function noViolations(screen) {
  const summary = await checkAccessibility(page, screen);
  assert.deepEqual(summary.violations, [], `no accessibility violation of any impact on ${screen}`);
}

test("#8 the last five characters a distributor reads out find the key; its row opens the key's detail", async () => {
  const key = await usedKey();
  const batchId = await batchOf(key.keyId);
  await adminPage();
  await openFind();
  // as people read it out: lower case, a dash, an O for the zero
  const end = key.key.slice(-5);
  await page.getByLabel("Termina en").fill(`${end.slice(0, 2)}-${end.slice(2)}`.toLowerCase().replace(/0/g, "o"));
  await page.getByRole("button", { name: "Buscar", exact: true }).click();
  const row = page.locator("main tbody tr").filter({ hasText: MASK + end });
  await row.waitFor();
  const text = await row.innerText();
  for (const expected of ["Utilizada", "dist-norte", batchId, "Teléfonos de México", "TME840315KT6"]) {
    assert.ok(text.includes(expected), `the row shows ${expected}: ${text}`);
  }
  await shot(page, "19-admin-buscar-clave.png");
  await noViolations("back office: find a key");

  await row.getByRole("link", { name: MASK + end }).click();
  await page.getByRole("heading", { name: "Consultar o anular una clave" }).waitFor();
  assert.equal(await page.getByLabel("Id de la clave").inputValue(), key.keyId, "the key's detail opens on the key");
  await page.getByRole("button", { name: "Historial" }).click();
  const history = page.getByRole("dialog", { name: "Historial de la clave" });
  await history.getByText(/Asignada a un cliente/).waitFor();
  await history.getByRole("button", { name: "Cerrar" }).click();

  // Back: the same search, its results again
  await page.goBack();
  await page.locator("main tbody tr").filter({ hasText: MASK + end }).waitFor();
  assert.equal(await page.getByLabel("Termina en").inputValue(), end, "the search is kept, as the service read it");
});

test("#8 a key end that matches nothing says so in words", async () => {
  await adminPage();
  await openFind();
  // 25 random bits: no key of this run ends so (one chance in 33 million per key)
  const nothing = Array.from(crypto.getRandomValues(new Uint8Array(5)), (b) => ALPHABET[b % 32]).join("");
  await page.getByLabel("Termina en").fill(nothing);
  await page.getByRole("button", { name: "Buscar", exact: true }).click();
  await page.getByText(`Ninguna clave termina en ${nothing}`).waitFor();
  assert.equal(await page.locator("main table").count(), 0, "no table, no rows of an earlier search");
});

test("#8 a refusal is shown next to the field it names", async () => {
  await adminPage();
  await openFind();
  const suffix = page.getByLabel("Termina en");
  await suffix.fill("7Q2");
  await page.getByRole("button", { name: "Buscar", exact: true }).click();
  await page.waitForFunction(() => document.querySelector("input[name=suffix]")?.getAttribute("aria-invalid") === "true");
  const describedBy = await suffix.getAttribute("aria-describedby");
  assert.ok(describedBy, "the field is described by its problem");
  const problem = page.locator(`[id="${describedBy.split(" ").at(-1)}"]`);
  assert.match(await problem.innerText(), /últimos cinco caracteres/);
  assert.equal(await problem.evaluate((e) => e.closest(".field")?.contains(document.querySelector("input[name=suffix]"))), true,
    "the message sits beside the field");
  assert.equal(await page.locator("input[name=batchId]").getAttribute("aria-invalid"), null, "only the named field is marked");
  assert.equal((await focused(page)).name, "Termina en", "the focus goes to the field to correct");
  await shot(page, "20-admin-buscar-error.png");
  await noViolations("back office: find a key, refused");

  // no lead at all: only a narrowing filter (the API names the three leads; the desk says it once)
  await suffix.fill("");
  await page.getByLabel("RFC del cliente").fill("TME840315KT6");
  await page.getByRole("button", { name: "Buscar", exact: true }).click();
  await page.waitForFunction(() => document.querySelector("input[name=clientRfc]")?.getAttribute("aria-invalid") === "true");
  await page.getByText("Escribe el final de la clave, el id de un lote o el de un distribuidor").first().waitFor();
  assert.equal(await suffix.getAttribute("aria-invalid"), "true");
});

test("#8 a batch's keys come a page at a time with «Más resultados»", async () => {
  const keys = await mint(30);
  const batchId = await batchOf(keys[0].keyId);
  await adminPage();
  await openFind();
  await page.getByLabel("Id del lote").fill(batchId.toUpperCase());
  await page.getByRole("button", { name: "Buscar", exact: true }).click();
  await waitForResults(25);
  await page.getByRole("button", { name: "Más resultados" }).click();
  await waitForResults(30);
  assert.equal(await page.getByRole("button", { name: "Más resultados" }).count(), 0, "no more after the last page");
  const masked = new Set(await page.locator("main tbody tr td.key").allInnerTexts());
  assert.equal(masked.size, 30, "30 different keys, none twice");
  for (const key of keys) assert.ok(masked.has(MASK + key.key.slice(-5)), `${key.keyId} is listed`);
  // the focus stays in the list: on the first key of the page that came
  assert.match((await focused(page)).name, /^\*{5}-/);
});

test("batches: newest first with who minted them and their counts; a row opens the batch", async () => {
  const keys = await mint(3);
  const batchId = await batchOf(keys[0].keyId);
  const admin = await idToken("admin");
  const voided = await api(admin, `/v1/admin/prepaid-keys/${keys[0].keyId}/void`,
    { body: { reason: "Prueba de la lista de lotes" }, headers: { "idempotency-key": crypto.randomUUID() } });
  assert.equal(voided.status, 200, JSON.stringify(voided.body));
  await adminPage();
  await page.getByRole("navigation").getByRole("link", { name: "Lista de lotes" }).click();
  await page.getByRole("heading", { name: "Lista de lotes" }).waitFor();
  const row = page.locator("main tbody tr").filter({ hasText: batchId });
  await row.waitFor();
  const cells = Object.fromEntries(await row.locator("td").evaluateAll((tds) => tds.map((td) => [td.dataset.label, td.innerText.trim()])));
  assert.equal(cells["Producto"], "Aspel SAE 9.0", JSON.stringify(cells));
  assert.equal(cells["Emitidas"], "2");
  assert.equal(cells["Anuladas"], "1");
  assert.equal(cells["Utilizadas"], "0");
  assert.match(cells["Emitido"], /\d{4}.*\n?por admin$/s, "when, and by whom");
  const newest = await page.locator("main tbody tr").first().getByRole("link").first().innerText();
  assert.equal(newest.trim(), batchId, "the newest batch first");
  await shot(page, "21-admin-lista-de-lotes.png");
  await noViolations("back office: batch list");

  await row.getByRole("link", { name: batchId, exact: true }).click();
  await page.getByRole("heading", { name: "Lotes de claves" }).waitFor();
  assert.equal(await page.getByLabel("Id del lote").inputValue(), batchId);
  await page.getByText("Emitida: 2").waitFor();
  await page.getByText("Anulada: 1").waitFor();

  await page.goBack();
  await page.locator("main tbody tr").filter({ hasText: batchId }).getByRole("link", { name: "Ver sus claves" }).click();
  await page.getByRole("heading", { name: "Buscar una clave" }).waitFor();
  await waitForResults(3);
});

test("batches come ten at a time with «Más lotes»", async () => {
  // eleven more batches than the page holds: a second page exists whatever else this run minted
  for (let i = 0; i < 11; i++) await mint(1);
  await adminPage();
  await page.getByRole("navigation").getByRole("link", { name: "Lista de lotes" }).click();
  await waitForResults(10);
  const firstPage = await page.locator("main tbody tr td:first-child").allInnerTexts();
  await page.getByRole("button", { name: "Más lotes" }).click();
  await page.waitForFunction(() => !document.querySelector("[aria-busy='true']") && document.querySelectorAll("main tbody tr").length > 10);
  const all = await page.locator("main tbody tr td:first-child").allInnerTexts();
  assert.deepEqual(all.slice(0, 10), firstPage, "the first page stays, the next is added under it");
  assert.equal(new Set(all).size, all.length, "no batch twice");
});

test("both screens in English, with the keyboard alone, and at phone width", async () => {
  const key = await usedKey();
  await adminPage({ language: "en" });
  await tabTo(page, "Find a key");
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Find a key" }).waitFor();
  assert.equal((await focused(page)).name, "Ends with", "the screen opens on its first field");
  await page.keyboard.type(key.key.slice(-5));
  await page.keyboard.press("Enter");
  await page.locator("main tbody tr").filter({ hasText: "Used" }).waitFor();
  await noViolations("back office: find a key (English)");
  await tabTo(page, MASK + key.key.slice(-5));
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Look up or void a key" }).waitFor();
  assert.equal(await page.getByLabel("Key id").inputValue(), key.keyId);

  await tabTo(page, "Batch list", { backwards: true });
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Batch list" }).waitFor();
  await page.locator("main tbody tr").first().waitFor();
  await noViolations("back office: batch list (English)");

  await adminPage({ viewport: { width: 390, height: 844 } });
  await openFind();
  await page.getByLabel("Termina en").fill(key.key.slice(-5));
  await page.getByRole("button", { name: "Buscar", exact: true }).click();
  await page.locator("main tbody tr").first().waitFor();
  await shot(page, "22-admin-buscar-telefono.png");
  await noViolations("back office: find a key at 390 px");
  await page.getByRole("navigation").getByRole("link", { name: "Lista de lotes" }).click();
  await page.locator("main tbody tr").first().waitFor();
  await shot(page, "23-admin-lotes-telefono.png");
  await noViolations("back office: batch list at 390 px");
  await context.close();
});

test("no page threw a script error", () => {
  assert.deepEqual(pageErrors, []);
});
