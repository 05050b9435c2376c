// The desk in a real browser (Debian's Chromium, driven by playwright-core) against the local stack:
// the walkthrough's screens, one after another, as a distributor and then as the back office.
// Run by functions/acceptance DeskBrowserTest (make test) with STACK_FILE pointing at the running
// stack's stack.json; each screen is saved under SCREENS_DIR.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import {
  awaitEmail, checkAccessibility, desk, launch, mint, newContext, openFilter, pageErrors, shot, signIn, waitForRows,
} from "./support.mjs";

let browser;
let page;
let keys; // [{keyId, key}] minted for this run

before(async () => {
  keys = await mint(3);
  browser = await launch();
  const context = await newContext(browser);
  page = await context.newPage();
});

after(async () => {
  await browser?.close();
});

test("a distributor signs in (figure 1)", async () => {
  await page.goto(desk);
  await page.getByRole("heading", { name: "Acceso a Distribuidores" }).waitFor();
  await shot(page, "01-inicio-de-sesion.png");
  await page.getByLabel("Usuario").fill("carlos.mendez");
  await page.getByLabel("Contraseña").fill("not-the-password");
  await page.getByRole("button", { name: "Iniciar sesión" }).click();
  await page.getByRole("alert").filter({ hasText: "Usuario o contraseña incorrectos" }).waitFor();
  await checkAccessibility(page, "sign-in, refused");
  await signIn(page, "carlos.mendez");
  await page.getByRole("link", { name: "Activar claves de producto prepago" }).waitFor();
});

test("the key field corrects look-alikes, groups by five and catches a typo (figure 2)", async () => {
  const field = page.getByLabel("Captura la clave prepago");
  const key = keys[0].key;
  const typo = key.slice(0, -1) + (key.at(-1) === "0" ? "1" : "0");
  await field.fill(typo.replace(/-/g, ""));
  await page.getByText("Revisa la clave").waitFor();
  assert.equal(await page.getByRole("button", { name: "Confirmar" }).isDisabled(), true, "a typo is never sent");
  // lower case, O for 0, spaces instead of dashes: the field fixes all of it
  const sloppy = key.toLowerCase().replace(/-/g, " ").replace(/0/g, "o");
  await field.fill("");
  await field.pressSequentially(sloppy);
  assert.equal(await field.inputValue(), key);
  await page.getByText("La clave está completa").waitFor();
  await shot(page, "02-activar-claves.png");
  await checkAccessibility(page, "activate (figure 2)");
});

test("confirm needs the licence accepted, then shows the notice, and the email arrives (figures 3, 4)", async () => {
  await page.getByRole("button", { name: "Confirmar" }).click();
  const dialog = page.getByRole("dialog", { name: "Confirmación de clave de prepago" });
  await dialog.waitFor();
  await dialog.getByText("Aspel SAE").first().waitFor();
  assert.match(await dialog.innerText(), /Licencia de uso de Aspel SAE 9\.0 \(versión 2026\.1\)/);
  await shot(page, "03-confirmacion.png");
  await checkAccessibility(page, "confirm window (figure 3)");
  await dialog.getByRole("button", { name: "Confirmar" }).click();
  await dialog.getByRole("alert").waitFor();
  assert.match(await dialog.getByRole("alert").innerText(), /licencia/i);
  await dialog.getByLabel("Acepto la licencia de uso").check();
  await dialog.getByRole("button", { name: "Confirmar" }).click();
  const notice = page.getByRole("dialog", { name: "Aviso" });
  await notice.waitFor();
  assert.match(await notice.innerText(), /Disponible sin asignar/);
  await shot(page, "04-aviso.png");
  await checkAccessibility(page, "notice (figure 4)");
  await notice.getByRole("button", { name: "Aceptar" }).click();
  await notice.waitFor({ state: "detached" });
  assert.equal(await page.getByLabel("Captura la clave prepago").evaluate((e) => e === document.activeElement), true,
    "focus is back in the key field");

  const emails = await awaitEmail(keys[0].key.slice(-5));
  assert.equal(emails.length, 1, "one confirmation email");
  assert.ok(emails[0].destination.to.join(",").includes("carlos.mendez"));
  assert.match(emails[0].subject, /^Clave de prepago confirmada/, "in the desk's language");
  assert.ok(emails[0].body.html.includes(`${desk}#/claves/${keys[0].keyId}`), "linking to the key in the list");
});

test("Claves prepago: filter, columns, CSV (figure 5)", async () => {
  await page.getByRole("link", { name: "Claves prepago" }).click();
  await page.getByRole("heading", { name: "Claves prepago" }).waitFor();
  await page.locator("table").waitFor();
  await shot(page, "05-claves-prepago.png");
  await checkAccessibility(page, "keys (figure 5)");

  await openFilter(page);
  await checkAccessibility(page, "keys: Filtro open");
  await page.getByLabel("Disponible sin asignar").check();
  await page.getByLabel("Termina en").fill(keys[0].key.slice(-4));
  await page.getByRole("button", { name: "Aplicar" }).first().click();
  await waitForRows(page, 1); // the key just confirmed, and no other
  assert.match(await page.locator("tbody").innerText(), new RegExp(keys[0].key.slice(-5)));

  await page.getByRole("button", { name: "Columnas" }).click();
  await checkAccessibility(page, "keys: Columnas open");
  await page.locator("#columns-panel").getByLabel("Activada por").check();
  await page.locator("#columns-panel").getByLabel("RFC del cliente").uncheck();
  await page.locator("#columns-panel").getByRole("button", { name: "Aplicar" }).click();
  await page.getByRole("columnheader", { name: "Activada por" }).waitFor();
  assert.equal(await page.getByRole("columnheader", { name: "RFC del cliente" }).count(), 0);
  await page.reload();
  await page.getByRole("columnheader", { name: "Activada por" }).waitFor();
  assert.equal(await page.getByRole("columnheader", { name: "RFC del cliente" }).count(), 0, "the columns are remembered");

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Exportar CSV" }).click()]);
  const csv = readFileSync(await download.path(), "utf8");
  assert.ok(csv.startsWith("\uFEFF"), "a byte order mark, for Excel");
  assert.match(csv.split("\n")[0], /Clave/);
  assert.match(csv, new RegExp(keys[0].key.slice(-5)));
});

test("assign to a client: a bad RFC is refused, a good one assigns after a last look; the history tells it", async () => {
  await openFilter(page);
  await page.getByLabel("Termina en").fill(keys[0].key.slice(-4));
  await page.getByRole("button", { name: "Aplicar" }).first().click();
  await waitForRows(page, 1);
  await page.getByRole("button", { name: "Asignar a cliente" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Asignar a cliente" });
  await checkAccessibility(page, "assign window");
  await dialog.getByLabel("RFC del cliente").fill("ABC12");
  await dialog.getByLabel("Nombre o razón social").fill("Teléfonos de México, S.A.B. de C.V.");
  await dialog.getByRole("button", { name: "Asignar" }).click();
  await dialog.getByText("La asignación es definitiva").waitFor();
  await dialog.getByRole("button", { name: "Sí, asignar" }).click();
  await dialog.getByRole("alert").waitFor();
  assert.match(await dialog.getByRole("alert").innerText(), /RFC/);
  await shot(page, "06-asignar-a-cliente.png");
  await checkAccessibility(page, "assign window, RFC refused");
  await dialog.getByLabel("RFC del cliente").fill("TME840315KT6");
  await dialog.getByRole("button", { name: "Asignar" }).click();
  await dialog.getByRole("button", { name: "Sí, asignar" }).click();
  await dialog.waitFor({ state: "detached" });
  await page.getByText("quedó asignada").waitFor();
  await openFilter(page);
  await page.getByLabel("Disponible sin asignar").uncheck();
  await page.getByRole("button", { name: "Aplicar" }).first().click();
  await page.locator("tbody").getByText("Utilizada").waitFor();

  await page.getByRole("button", { name: "Historial" }).first().click();
  const history = page.getByRole("dialog", { name: "Historial de la clave" });
  await history.getByText("Asignada a un cliente").waitFor();
  assert.match(await history.innerText(), /Emitida · .* · El proveedor/);
  await shot(page, "07-historial.png");
  await checkAccessibility(page, "history window");
  await history.getByRole("button", { name: "Cerrar" }).click();
});

test("at phone width the list is readable", async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await page.locator("tbody tr").first().waitFor();
  await shot(page, "08-claves-telefono.png");
  await checkAccessibility(page, "keys at 390 px");
  await page.setViewportSize({ width: 1280, height: 860 });
});

test("the back office: products, a minted batch as CSV, its counts, a void asked first, a key", async () => {
  await page.getByRole("button", { name: "Cerrar sesión" }).click();
  await signIn(page, "admin");
  await page.getByRole("heading", { name: "Productos" }).waitFor();
  await page.getByText("SAE-12M").first().waitFor();
  await shot(page, "09-admin-productos.png");
  await checkAccessibility(page, "back office: products");

  await page.getByRole("link", { name: "Lotes de claves" }).click();
  await page.getByLabel("Cantidad").fill("3");
  await page.getByLabel("Nota (pedido, distribuidor…)").fill("Pedido de prueba");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Emitir y descargar CSV" }).click()]);
  const csv = readFileSync(await download.path(), "utf8").trim().split("\r\n");
  assert.equal(csv.length, 4, "a header and 3 keys");
  assert.match(csv[1], /^[0-9a-z]{26},[0-9A-Z]{5}(-[0-9A-Z]{5}){4},SAE-12M,/);
  await page.getByText("emitido: 3 claves").waitFor();
  await page.getByRole("button", { name: "Consultar" }).click();
  await page.getByText("Emitida: 3").waitFor();
  await page.getByLabel("Motivo").fill("Pedido cancelado");
  await page.getByRole("button", { name: "Anular el lote" }).click();
  // #7: a void is asked first, and Cancelar (the focused choice) voids nothing
  const ask = page.getByRole("dialog", { name: /¿Anular el lote [0-9a-z]{16}\?/ });
  await ask.waitFor({ timeout: 3000 });
  assert.match(await ask.innerText(), /No se puede deshacer/);
  await checkAccessibility(page, "back office: void the batch?");
  await ask.getByRole("button", { name: "Cancelar" }).click();
  await ask.waitFor({ state: "detached" });
  await page.getByRole("button", { name: "Consultar" }).click();
  await page.getByText("Emitida: 3").waitFor();
  await page.getByRole("button", { name: "Anular el lote" }).click();
  await ask.getByRole("button", { name: "Anular el lote" }).click();
  await page.getByText("Anuladas 3").waitFor();
  await shot(page, "10-admin-lotes.png");
  await checkAccessibility(page, "back office: batches");

  await page.getByRole("link", { name: "Consultar o anular una clave" }).click();
  await page.getByLabel("Id de la clave").fill(keys[0].keyId);
  await page.getByRole("button", { name: "Historial" }).click();
  const history = page.getByRole("dialog", { name: "Historial de la clave" });
  await history.getByText(/Activada · .* · carlos\.mendez/).waitFor();
  assert.match(await history.innerText(), /Lote [0-9a-z]{16}\. Nota del lote: Prueba del escritorio\./, "the back office sees the batch");
  await shot(page, "11-admin-clave.png");
  await checkAccessibility(page, "back office: a key's history");
  await history.getByRole("button", { name: "Cerrar" }).click();

  await page.getByLabel("Id de la clave").fill(keys[1].keyId);
  await page.getByLabel("Motivo").fill("Clave filtrada");
  await page.getByRole("button", { name: "Anular la clave" }).click();
  const askKey = page.getByRole("dialog", { name: `¿Anular la clave ${keys[1].keyId}?` });
  await askKey.waitFor({ timeout: 3000 });
  await askKey.getByRole("button", { name: "Anular la clave" }).click();
  await page.getByText("Clave anulada.").waitFor();
});

test("no screen threw a script error", () => {
  assert.deepEqual(pageErrors, []);
});
