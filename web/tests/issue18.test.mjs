// The numbered bugs of issue 18 ("the desk as distributors use it every day") and its words, each
// as a distributor or the back office meets it in Chromium. Each test failed on the desk before
// its fix (the commit that fixed it says how).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  api, awaitEmail, checkAccessibility, desk, idToken, launch, mint, newContext, newUser, openFilter, pageErrors, shot, signIn, unknownKey,
  waitForRows,
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

/** A fresh page signed in as a new user of its own (dist-norte's unless told), so no test's lock or state leaks into another. */
async function freshPage({ distributorId = "dist-norte", viewport, language } = {}) {
  await context?.close();
  context = await newContext(browser, viewport ? { viewport } : {});
  page = await context.newPage();
  const user = await newUser({ distributorId });
  if (language === "en") await page.addInitScript(() => localStorage.setItem("lang", "en"));
  await signIn(page, user.username, user.password);
  return user;
}

async function capture(key) {
  await page.getByRole("navigation").getByRole("link", { name: /Activar claves|Activate prepaid/ }).click();
  const field = page.getByLabel(/Captura la clave prepago|Type the prepaid key/);
  await field.fill(key);
  await page.getByRole("button", { name: /^(Confirmar|Confirm)$/ }).click();
}

test("#2 a distributor locked by its colleagues' failures is told so, and until when", async () => {
  const distributorId = "dist-lock-" + crypto.randomUUID().slice(0, 6);
  // five colleagues, ten failed captures each: the distributor's brake (50) locks every user of it
  for (let u = 0; u < 5; u++) {
    const colleague = await newUser({ distributorId });
    const token = await idToken(colleague.username, colleague.password);
    for (let i = 0; i < 10; i++) {
      const answer = await api(token, "/v1/prepaid-keys/capture", { body: { key: unknownKey() } });
      assert.equal(answer.status, 422, JSON.stringify(answer.body));
    }
  }
  await freshPage({ distributorId });
  const [valid] = await mint(1);
  await capture(valid.key);
  const alert = page.getByRole("alert");
  await alert.waitFor();
  const text = await alert.innerText();
  assert.match(text, /cuenta de distribuidor está bloqueada/, text);
  assert.match(text, /a las \d{1,2}:\d{2}.*\(en 1[45] minutos\)/, "when it ends, as a time and a wait: " + text);
  await shot(page, "12-bloqueo-del-distribuidor.png");
  await checkAccessibility(page, "activate: distributor locked");
});

test("#2 from the 8th failed attempt the desk says how many are left", async () => {
  const user = await freshPage();
  const token = await idToken(user.username, user.password);
  for (let i = 0; i < 7; i++) assert.equal((await api(token, "/v1/prepaid-keys/capture", { body: { key: unknownKey() } })).status, 422);
  await capture(unknownKey());
  const alert = page.getByRole("alert");
  await alert.waitFor();
  assert.match(await alert.innerText(), /Te quedan 2 intentos antes de que la activación se bloquee 15 minutos/);
  await page.getByRole("button", { name: "Confirmar" }).click();
  await page.getByRole("alert").filter({ hasText: "Te queda 1 intento" }).waitFor();
  await page.getByRole("button", { name: "Confirmar" }).click();
  await page.getByRole("alert").filter({ hasText: "Fue tu último intento" }).waitFor();
  await page.getByRole("button", { name: "Confirmar" }).click();
  await page.getByRole("alert").filter({ hasText: "Hubo demasiados intentos fallidos con tu usuario" }).waitFor();
});

test("#3 browser Back closes the confirm window instead of leaving it over Claves prepago", async () => {
  await freshPage();
  const [key] = await mint(1);
  await page.getByRole("link", { name: "Claves prepago" }).click();
  await page.getByRole("heading", { name: "Claves prepago" }).waitFor();
  await capture(key.key);
  await page.getByRole("dialog", { name: "Confirmación de clave de prepago" }).waitFor();
  await page.goBack();
  await page.getByRole("heading", { name: "Claves prepago" }).waitFor();
  await page.waitForTimeout(200);
  assert.equal(await page.getByRole("dialog").count(), 0, "no window is left open over another screen");
});

test("#4 a refused filter leaves no rows or counts under its error, and SKUs are read in any case", async () => {
  await freshPage({ distributorId: "dist-filtro-" + crypto.randomUUID().slice(0, 6) });
  await page.getByRole("link", { name: "Claves prepago" }).click();
  const [key] = await mint(1, "COI-12M");
  // a key of COI-12M in this account, so that the filter has a row to find
  await capture(key.key);
  await page.getByLabel("Acepto la licencia de uso").check();
  await page.getByRole("dialog").getByRole("button", { name: "Confirmar" }).click();
  await page.getByRole("dialog", { name: "Aviso" }).getByRole("button", { name: "Aceptar" }).click();
  await page.getByRole("link", { name: "Claves prepago" }).click();
  await page.locator("tbody tr").first().waitFor();

  await openFilter(page);
  await page.getByRole("textbox", { name: /^Producto/ }).fill("Aspel COI");
  await page.getByRole("button", { name: "Aplicar" }).first().click();
  const alert = page.getByRole("alert");
  await alert.waitFor();
  assert.equal(await page.locator("tbody tr").count(), 0, "the previous rows are gone");
  assert.equal(await page.locator(".counts li").count(), 0, "the previous counts are gone");
  const text = await alert.innerText();
  assert.match(text, /Producto/, text);
  assert.doesNotMatch(text, /"product"|product\b/, "no API parameter name: " + text);

  await page.getByRole("textbox", { name: /^Producto/ }).fill("coi-12m");
  await page.getByRole("button", { name: "Aplicar" }).first().click();
  await waitForRows(page, 1);
  assert.equal(await page.getByRole("alert").count(), 0);
  assert.match(await page.locator("tbody").innerText(), /Aspel COI/);
});

test("#5 with a client name or a key end the order control is disabled and says why", async () => {
  await freshPage();
  await page.getByRole("link", { name: "Claves prepago" }).click();
  await openFilter(page);
  await page.getByLabel("Termina en").fill("3");
  await page.getByRole("button", { name: "Aplicar" }).first().click();
  const order = page.getByLabel("Orden");
  await page.waitForFunction(() => document.querySelector("select[name=sort]")?.disabled === true, null, { timeout: 3000 })
    .catch(() => undefined);
  assert.equal(await order.isDisabled(), true, "the order cannot be chosen with «Termina en»");
  assert.match(await page.locator("#sort-note").innerText(), /final de la clave/);
  await page.getByLabel("Termina en").fill("");
  await page.getByRole("textbox", { name: /^Cliente/ }).fill("Gómez");
  await page.getByRole("button", { name: "Aplicar" }).first().click();
  assert.match(await page.locator("#sort-note").innerText(), /por nombre/);
  await page.getByRole("textbox", { name: /^Cliente/ }).fill("TME840315KT6");
  await page.getByRole("button", { name: "Aplicar" }).first().click();
  assert.equal(await order.isDisabled(), false, "an RFC allows ordering by activation");
  assert.equal(await page.locator("select[name=sort] option[value=expiresAt]").isDisabled(), true, "but not by expiry");
});

test("#6 Columnas with every box unticked is refused, and the boxes always show the table's columns", async () => {
  await freshPage();
  await page.getByRole("link", { name: "Claves prepago" }).click();
  // the table as it loaded, before the boxes are touched (the headers read below are its columns)
  await page.locator("thead th").first().waitFor();
  await page.getByRole("button", { name: "Columnas" }).click();
  const panel = page.locator("#columns-panel");
  for (const box of await panel.getByRole("checkbox").all()) await box.uncheck();
  await panel.getByRole("button", { name: "Aplicar" }).click();
  await panel.getByRole("alert").filter({ hasText: "Elige al menos una columna" }).waitFor({ timeout: 3000 });
  const headers = (await page.locator("thead th").allInnerTexts()).filter((h) => h !== "Acciones");
  await page.getByRole("button", { name: "Columnas" }).click();
  await page.getByRole("button", { name: "Columnas" }).click();
  const ticked = [];
  for (const box of await panel.getByRole("checkbox").all()) {
    if (await box.isChecked()) ticked.push((await panel.locator(`label[for="${await box.getAttribute("id")}"]`).innerText()).trim());
  }
  assert.deepEqual(ticked.sort(), headers.sort(), "the ticked boxes are the table's columns");
});

test("#11 pasting \"Clave: QMQ0B-...\" takes the key, not the word", async () => {
  await freshPage();
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(desk).origin });
  const [key] = await mint(1);
  const field = page.getByLabel("Captura la clave prepago");
  await page.evaluate((text) => navigator.clipboard.writeText(text), `Clave: ${key.key}`);
  await field.focus();
  await page.keyboard.press("Control+V");
  assert.equal(await field.inputValue(), key.key);
  await page.getByText("La clave está completa").waitFor();
  await page.evaluate((text) => navigator.clipboard.writeText(text), `Tu clave de prepago es ${key.key.toLowerCase().replace(/-/g, " ")}.`);
  await field.fill("");
  await field.focus();
  await page.keyboard.press("Control+V");
  assert.equal(await field.inputValue(), key.key, "a sentence around a key in lower case with spaces");
});

test("#12 the catalogue refuses junk, and the confirm window labels the licence's parts", async () => {
  await context?.close();
  context = await newContext(browser);
  page = await context.newPage();
  await signIn(page, "admin");
  await page.getByRole("heading", { name: "Productos" }).waitFor();
  await page.getByLabel("SKU").fill("00");
  await page.getByLabel("Nombre").fill("0");
  await page.getByLabel("Descripción").fill("0");
  await page.getByLabel("Versión de licencia").fill("s");
  await page.getByLabel("Título de la licencia").fill("0");
  await page.getByLabel("URL de la licencia").fill("https://vendor.example/x");
  await page.getByLabel("Texto de la licencia").fill("0");
  const saves = [];
  page.on("request", (request) => request.method() === "PUT" && saves.push(request.url()));
  await page.getByRole("button", { name: "Guardar" }).click();
  const alert = page.getByRole("alert");
  await alert.waitFor({ timeout: 5000 });
  assert.match(await alert.innerText(), /SKU lleva de 3 a 32 caracteres.*versión de la licencia empieza con un número/s);
  assert.deepEqual(saves, [], "nothing was sent to the catalogue");
  assert.equal(await page.getByLabel("SKU").evaluate((e) => e === document.activeElement), true, "the first wrong field has the focus");
  await checkAccessibility(page, "back office: products, refused");

  await freshPage();
  const [key] = await mint(1);
  await capture(key.key);
  const dialog = page.getByRole("dialog", { name: "Confirmación de clave de prepago" });
  await dialog.waitFor();
  assert.match(await dialog.innerText(), /Licencia de uso\s+Licencia de uso de Aspel SAE 9\.0 \(versión 2026\.1\)/);
});

test("#13 at 390 px no empty space under the menu; the key field shows every character", async () => {
  await freshPage({ viewport: { width: 390, height: 844 } });
  const gap = await page.evaluate(() => {
    const nav = document.querySelector("nav").getBoundingClientRect();
    const list = document.querySelector("nav ul").getBoundingClientRect();
    return nav.bottom - list.bottom;
  });
  assert.ok(gap < 40, `the menu ends with its links (${gap} px under them)`);
  const [key] = await mint(1);
  const field = page.getByLabel("Captura la clave prepago");
  await field.fill(key.key);
  const cut = await field.evaluate((input) => input.scrollWidth - input.clientWidth);
  assert.ok(cut <= 0, `the key fits its field at 390 px (${cut} px hidden)`);
  await shot(page, "13-activar-telefono.png");
  await checkAccessibility(page, "activate at 390 px");
});

test("#13 at 1280 px every column and the Historial buttons fit; the key field shows every character", async () => {
  await freshPage();
  const [key] = await mint(1);
  const field = page.getByLabel("Captura la clave prepago");
  await field.fill(key.key);
  const cut = await field.evaluate((input) => input.scrollWidth - input.clientWidth);
  assert.ok(cut <= 0, `the key fits its field at 1280 px (${cut} px hidden)`);

  await page.getByRole("link", { name: "Claves prepago" }).click();
  await page.getByRole("button", { name: "Columnas" }).click();
  for (const box of await page.locator("#columns-panel").getByRole("checkbox").all()) await box.check();
  await page.locator("#columns-panel").getByRole("button", { name: "Aplicar" }).click();
  await page.getByRole("columnheader", { name: "Vence" }).waitFor();
  await page.locator("tbody tr").first().waitFor();
  const outside = await page.evaluate(() => {
    const wrap = document.querySelector(".table-wrap").getBoundingClientRect();
    return [...document.querySelectorAll("tbody button")].map((b) => b.getBoundingClientRect())
      .filter((r) => r.right > wrap.right + 1 || r.left < wrap.left - 1).length;
  });
  assert.equal(outside, 0, "every row's buttons are in view without scrolling sideways");
  await shot(page, "14-claves-todas-las-columnas.png");
});

test("words: an empty account says it has no keys yet, not that no key matches", async () => {
  await freshPage({ distributorId: "dist-nueva-" + crypto.randomUUID().slice(0, 6) });
  await page.getByRole("link", { name: "Claves prepago" }).click();
  await page.getByText("Tu cuenta aún no tiene claves").waitFor();
  assert.equal(await page.getByText("No hay claves con este filtro").count(), 0);
  await shot(page, "15-cuenta-sin-claves.png");
  await checkAccessibility(page, "keys: empty account");
  await openFilter(page);
  await page.getByLabel("Termina en").fill("ZZZZ");
  await page.getByRole("button", { name: "Aplicar" }).first().click();
  await page.getByText("Tu cuenta aún no tiene claves").waitFor();
  await page.getByLabel("Termina en").fill("");
  await page.getByLabel("Utilizada").check();
  await page.getByRole("button", { name: "Aplicar" }).first().click();
  await page.getByText("Tu cuenta aún no tiene claves").waitFor();
});

test("words: refusals name fields by their labels; an assignment is confirmed as final; the history reads as words", async () => {
  await freshPage();
  const [key] = await mint(1);
  await capture(key.key);
  await page.getByLabel("Acepto la licencia de uso").check();
  await page.getByRole("dialog").getByRole("button", { name: "Confirmar" }).click();
  await page.getByRole("dialog", { name: "Aviso" }).getByRole("button", { name: "Aceptar" }).click();
  await page.getByRole("link", { name: "Claves prepago" }).click();
  await openFilter(page);
  await page.getByLabel("Termina en").fill(key.key.slice(-5));
  await page.getByRole("button", { name: "Aplicar" }).first().click();
  await waitForRows(page, 1);
  await page.getByRole("button", { name: "Asignar a cliente" }).click();
  const dialog = page.getByRole("dialog", { name: "Asignar a cliente" });

  async function assign(rfc, name) {
    await dialog.getByLabel("RFC del cliente").fill(rfc);
    await dialog.getByLabel("Nombre o razón social").fill(name);
    await dialog.getByRole("button", { name: "Asignar" }).click();
    const yes = dialog.getByRole("button", { name: "Sí, asignar" });
    if (await yes.isVisible().catch(() => false)) await yes.click();
  }

  await assign("TME840315KT6", "Teléfonos 📞 de México");
  let alert = dialog.getByRole("alert");
  await alert.waitFor();
  let text = await alert.innerText();
  assert.match(text, /«Nombre o razón social»/, text);
  assert.doesNotMatch(text, /client\.name|"name"/, text);

  await assign("TME840315KT7", "Teléfonos de México, S.A.B. de C.V.");
  await dialog.getByRole("alert").filter({ hasText: "dígito verificador" }).waitFor();
  text = await dialog.getByRole("alert").innerText();
  assert.doesNotMatch(text, /confirmRfc/, text);
  assert.match(text, /marca «El RFC es correcto/, text);

  await dialog.getByLabel("RFC del cliente").fill("TME840315KT6");
  await dialog.getByRole("button", { name: "Asignar" }).click();
  await dialog.getByText("La asignación es definitiva").waitFor();
  assert.match(await dialog.innerText(), /¿Asignar la clave \*{5}-\*{5}-\*{5}-\*{5}-\w{5} a Teléfonos de México, S\.A\.B\. de C\.V\., RFC TME840315KT6\?/);
  await checkAccessibility(page, "assign: the last look");
  await dialog.getByRole("button", { name: "Sí, asignar" }).click();
  await dialog.waitFor({ state: "detached" });
  await page.getByText("quedó asignada").waitFor();

  await page.getByRole("button", { name: "Historial" }).click();
  const history = page.getByRole("dialog", { name: "Historial de la clave" });
  await history.getByText("Asignada a un cliente").waitFor();
  const words = await history.innerText();
  for (const id of ["ISSUED", "ACTIVATED", "ASSIGNED", "batchId", "sourceIp", "distributorId", "licenseVersion", "SENT", "PENDING"]) {
    assert.ok(!words.includes(id), `no internal word "${id}" in the history: ${words}`);
  }
  assert.match(words, /Emitida · .* · El proveedor/);
  assert.match(words, /Activada · .* · desk\d+-\w+\s+Aceptó la licencia de uso, versión 2026\.1\./);
  assert.match(words, /Cliente: Teléfonos de México, S\.A\.B\. de C\.V\., RFC TME840315KT6\./);
  assert.match(words, /Correo de confirmación: (enviado|pendiente de envío|enviándose)\./);
});

test("words: the email speaks the language the desk was in, and links to the key in the list", async () => {
  await freshPage({ language: "en" });
  const [key] = await mint(1);
  await page.getByRole("link", { name: "Activate prepaid product keys" }).click();
  await page.getByLabel("Type the prepaid key").fill(key.key);
  await page.getByRole("button", { name: "Confirm" }).click();
  await page.getByLabel("I accept the licence of use").check();
  await page.getByRole("dialog").getByRole("button", { name: "Confirm" }).click();
  await page.getByRole("dialog", { name: "Notice" }).getByRole("button", { name: "OK" }).click();
  const [email] = await awaitEmail(key.key.slice(-5));
  assert.match(email.subject, /^Prepaid key confirmed/);
  const link = /href="([^"]+)"/.exec(email.body.html)?.[1].replace(/&amp;/g, "&");
  assert.ok(link?.startsWith(desk + "#/claves/"), "the email links to the key in the desk: " + link);
  assert.ok(email.body.text.includes(link), "the text part too");

  await page.goto(link);
  await page.getByRole("heading", { name: "Prepaid keys" }).waitFor();
  await waitForRows(page, 1);
  assert.match(await page.locator("tbody tr.highlight").innerText(), new RegExp(key.key.slice(-5)));
  await page.getByText("from the link you opened").waitFor();
});

test("the header names the distributor by its name, not its id; an unrecorded account keeps its id", async () => {
  await freshPage();
  const who = page.locator("header .who");
  await page.getByText("Distribuidora Norte").waitFor();
  assert.match(await who.innerText(), /Cuenta Distribuidora Norte$/, await who.innerText());
  assert.doesNotMatch(await who.innerText(), /Cuenta dist-norte/, "the id gives way to the name");

  const distributorId = "dist-new-" + crypto.randomUUID().slice(0, 6);
  await freshPage({ distributorId });
  await page.getByRole("navigation").waitFor();
  assert.match(await page.locator("header .who").innerText(), new RegExp("Cuenta " + distributorId + "$"), "no record yet: the id, as before");
});

test("no page threw a script error", () => {
  assert.deepEqual(pageErrors, []);
});
