// The desk in a real browser (Debian's Chromium, driven by playwright-core) against the local stack:
// the walkthrough's screens, one after another, as a distributor and then as the back office.
// Run by functions/acceptance DeskBrowserTest (make test) with STACK_FILE pointing at the running
// stack's stack.json; each screen is saved under SCREENS_DIR.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { chromium } from "playwright-core";

const stack = JSON.parse(readFileSync(process.env.STACK_FILE, "utf8"));
const screens = process.env.SCREENS_DIR ?? "test-results/screens";
const password = stack.users.find((u) => u.username === "carlos.mendez").password;
mkdirSync(screens, { recursive: true });

let browser;
let page;
let keys; // [{keyId, key}] minted for this run
const pageErrors = [];
const desk = stack.apiUrl + "/";

async function cognitoToken(username) {
  const user = stack.users.find((u) => u.username === username);
  const response = await fetch(stack.cognito.endpoint, {
    method: "POST",
    headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AWSCognitoIdentityProviderService.InitiateAuth" },
    body: JSON.stringify({ AuthFlow: "USER_PASSWORD_AUTH", ClientId: stack.cognito.clientId,
      AuthParameters: { USERNAME: username, PASSWORD: user.password } }),
  });
  return (await response.json()).AuthenticationResult.IdToken;
}

async function emailsAbout(masked) {
  const store = await (await fetch(new URL("/store", stack.ses.endpoint))).json();
  return store.emails.filter((e) => e.subject.includes(masked));
}

async function shot(name) {
  await page.screenshot({ path: join(screens, name), fullPage: true });
}

/** Opens the Filtro panel (the button toggles it). */
async function openFilter() {
  const button = page.getByRole("button", { name: "Filtro" });
  if ((await button.getAttribute("aria-expanded")) !== "true") await button.click();
}

/** Waits until the list has loaded and shows {@code count} rows. */
async function waitForRows(count) {
  await page.waitForFunction((n) => !document.querySelector(".table-wrap[aria-busy]")
    && document.querySelectorAll("tbody tr").length === n, count);
}

async function signIn(username) {
  await page.goto(desk);
  await page.getByLabel(/Usuario|User/).fill(username);
  await page.getByLabel(/Contraseña|Password/).fill(password);
  await page.getByRole("button", { name: /Iniciar sesión|Sign in/ }).click();
  await page.getByRole("navigation").waitFor();
}

before(async () => {
  const admin = await cognitoToken("admin");
  const minted = await fetch(stack.apiUrl + "/v1/admin/key-batches", {
    method: "POST",
    headers: { authorization: `Bearer ${admin}`, "content-type": "application/json", "idempotency-key": crypto.randomUUID() },
    body: JSON.stringify({ productSku: "SAE-12M", quantity: 3, note: "Prueba del escritorio" }),
  });
  assert.equal(minted.status, 201);
  keys = (await minted.json()).keys;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, acceptDownloads: true, locale: "es-MX" });
  page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(String(error)));
});

after(async () => {
  await browser?.close();
});

test("a distributor signs in (figure 1)", async () => {
  await page.goto(desk);
  await page.getByRole("heading", { name: "Acceso a Distribuidores" }).waitFor();
  await shot("01-inicio-de-sesion.png");
  await page.getByLabel("Usuario").fill("carlos.mendez");
  await page.getByLabel("Contraseña").fill("not-the-password");
  await page.getByRole("button", { name: "Iniciar sesión" }).click();
  await page.getByRole("alert").filter({ hasText: "Usuario o contraseña incorrectos" }).waitFor();
  await signIn("carlos.mendez");
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
  await shot("02-activar-claves.png");
});

test("confirm needs the licence accepted, then shows the notice, and the email arrives (figures 3, 4)", async () => {
  await page.getByRole("button", { name: "Confirmar" }).click();
  const dialog = page.getByRole("dialog", { name: "Confirmación de clave de prepago" });
  await dialog.waitFor();
  await dialog.getByText("Aspel SAE").first().waitFor();
  await shot("03-confirmacion.png");
  await dialog.getByRole("button", { name: "Confirmar" }).click();
  await dialog.getByRole("alert").waitFor();
  assert.match(await dialog.getByRole("alert").innerText(), /licencia/i);
  await dialog.getByLabel("Acepto la licencia de uso").check();
  await dialog.getByRole("button", { name: "Confirmar" }).click();
  const notice = page.getByRole("dialog", { name: "Aviso" });
  await notice.waitFor();
  assert.match(await notice.innerText(), /Disponible sin asignar/);
  await shot("04-aviso.png");
  await notice.getByRole("button", { name: "Aceptar" }).click();
  await notice.waitFor({ state: "detached" });
  assert.equal(await page.getByLabel("Captura la clave prepago").evaluate((e) => e === document.activeElement), true,
    "focus is back in the key field");

  const masked = keys[0].key.slice(-5);
  let emails = [];
  for (let i = 0; i < 100 && emails.length === 0; i++) {
    emails = await emailsAbout(masked);
    if (emails.length === 0) await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(emails.length, 1, "one confirmation email");
  assert.ok(emails[0].destination.to.join(",").includes("carlos.mendez"));
});

test("Claves prepago: filter, columns, CSV (figure 5)", async () => {
  await page.getByRole("link", { name: "Claves prepago" }).click();
  await page.getByRole("heading", { name: "Claves prepago" }).waitFor();
  await page.locator("table").waitFor();
  await shot("05-claves-prepago.png");

  await openFilter();
  await page.getByLabel("Disponible sin asignar").check();
  await page.getByLabel("Termina en").fill(keys[0].key.slice(-4));
  await page.getByRole("button", { name: "Aplicar" }).first().click();
  await waitForRows(1); // the key just confirmed, and no other
  assert.match(await page.locator("tbody").innerText(), new RegExp(keys[0].key.slice(-5)));

  await page.getByRole("button", { name: "Columnas" }).click();
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

test("assign to a client: a bad RFC is refused, a good one assigns; the history tells it", async () => {
  await openFilter();
  await page.getByLabel("Termina en").fill(keys[0].key.slice(-4));
  await page.getByRole("button", { name: "Aplicar" }).first().click();
  await waitForRows(1);
  await page.getByRole("button", { name: "Asignar a cliente" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Asignar a cliente" });
  await dialog.getByLabel("RFC del cliente").fill("ABC12");
  await dialog.getByLabel("Nombre o razón social").fill("Teléfonos de México, S.A.B. de C.V.");
  await dialog.getByRole("button", { name: "Asignar" }).click();
  await dialog.getByRole("alert").waitFor();
  assert.match(await dialog.getByRole("alert").innerText(), /RFC/);
  await shot("06-asignar-a-cliente.png");
  await dialog.getByLabel("RFC del cliente").fill("TME840315KT6");
  await dialog.getByRole("button", { name: "Asignar" }).click();
  await dialog.waitFor({ state: "detached" });
  await page.getByText("quedó asignada").waitFor();
  await openFilter();
  await page.getByLabel("Disponible sin asignar").uncheck();
  await page.getByRole("button", { name: "Aplicar" }).first().click();
  await page.locator("tbody").getByText("Utilizada").waitFor();

  await page.getByRole("button", { name: "Historial" }).first().click();
  const history = page.getByRole("dialog", { name: "Historial de la clave" });
  await history.getByText("ASSIGNED").waitFor();
  await shot("07-historial.png");
  await history.getByRole("button", { name: "Cerrar" }).click();
});

test("at phone width the list is readable", async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await page.locator("tbody tr").first().waitFor();
  await shot("08-claves-telefono.png");
  await page.setViewportSize({ width: 1280, height: 860 });
});

test("the back office: products, a minted batch as CSV, its counts, a void, a key", async () => {
  await page.getByRole("button", { name: "Cerrar sesión" }).click();
  await signIn("admin");
  await page.getByRole("heading", { name: "Productos" }).waitFor();
  await page.getByText("SAE-12M").first().waitFor();
  await shot("09-admin-productos.png");

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
  await page.getByText("Anuladas 3").waitFor();
  await shot("10-admin-lotes.png");

  await page.getByRole("link", { name: "Consultar o anular una clave" }).click();
  await page.getByLabel("Id de la clave").fill(keys[0].keyId);
  await page.getByRole("button", { name: "Historial" }).click();
  const history = page.getByRole("dialog", { name: "Historial de la clave" });
  await history.getByText("ACTIVATED").waitFor();
  await shot("11-admin-clave.png");
  await history.getByRole("button", { name: "Cerrar" }).click();
});

test("no screen threw a script error", () => {
  assert.deepEqual(pageErrors, []);
});
