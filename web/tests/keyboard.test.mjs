// The whole flow with the keyboard alone, as someone who cannot use a mouse works: Tab, Shift+Tab,
// Enter, Space and typing; never a click. Every stop shows where the focus is.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { desk, focused, launch, mint, newContext, newUser, pageErrors, tabTo, waitForRows } from "./support.mjs";

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

test("sign in, activate a key, list, filter, assign and read the history with the keyboard alone", async () => {
  const user = await newUser();
  const [key] = await mint(1);
  const context = await newContext(browser);
  const page = await context.newPage();
  const keyboard = page.keyboard;

  // sign in: the user field has the focus
  await page.goto(desk);
  await page.getByRole("heading", { name: "Acceso a Distribuidores" }).waitFor();
  assert.equal((await focused(page)).name, "Usuario");
  await keyboard.type(user.username);
  await tabTo(page, "Contraseña");
  await keyboard.type(user.password);
  await keyboard.press("Enter");
  await page.getByRole("navigation").waitFor();

  // the screen's first field has the focus; before the header and the menu, a link skips to the screen
  assert.equal((await focused(page)).name, "Captura la clave prepago");
  await tabTo(page, "Ir al contenido", { backwards: true });
  await keyboard.press("Enter");
  await tabTo(page, "Captura la clave prepago", { limit: 1 });

  // activate: the key field, Confirmar, the licence, Confirmar, the notice
  await keyboard.type(key.key.replace(/-/g, ""));
  await tabTo(page, "Confirmar");
  await keyboard.press("Enter");
  const confirm = page.getByRole("dialog", { name: "Confirmación de clave de prepago" });
  await confirm.waitFor();
  assert.equal((await focused(page)).name, "Acepto la licencia de uso", "the window opens on its checkbox");
  await keyboard.press("Space");
  await tabTo(page, "Confirmar");
  await keyboard.press("Enter");
  await page.getByRole("dialog", { name: "Aviso" }).waitFor();
  assert.equal((await focused(page)).name, "Aceptar");
  await keyboard.press("Enter");
  await page.getByRole("dialog").waitFor({ state: "detached" });
  assert.equal((await focused(page)).name, "Captura la clave prepago", "back in the key field for the next key");

  // the list, from the menu
  await tabTo(page, "Claves prepago", { backwards: true });
  await keyboard.press("Enter");
  await page.getByRole("heading", { name: "Claves prepago" }).waitFor();
  await page.locator("tbody tr").first().waitFor();

  // Filtro: the key's end
  await tabTo(page, "Filtro");
  await keyboard.press("Enter");
  assert.equal((await focused(page)).name, "Disponible sin asignar", "the panel opens on its first box");
  await tabTo(page, "Termina en");
  await keyboard.type(key.key.slice(-5));
  await keyboard.press("Enter");
  await waitForRows(page, 1);

  // assign, with the last look
  await tabTo(page, "Asignar a cliente");
  await keyboard.press("Enter");
  await page.getByRole("dialog", { name: "Asignar a cliente" }).waitFor();
  assert.equal((await focused(page)).name, "RFC del cliente");
  await keyboard.type("TME840315KT6");
  await tabTo(page, "Nombre o razón social");
  await keyboard.type("Teléfonos de México, S.A.B. de C.V.");
  await keyboard.press("Enter");
  await page.getByText("La asignación es definitiva").waitFor();
  assert.equal((await focused(page)).name, "Sí, asignar");
  await keyboard.press("Enter");
  await page.getByRole("dialog").waitFor({ state: "detached" });
  await page.getByText("quedó asignada").waitFor();
  assert.match((await focused(page)).name, /quedó asignada/, "the focus lands on what happened");

  // the history
  await tabTo(page, "Historial");
  await keyboard.press("Enter");
  const history = page.getByRole("dialog", { name: "Historial de la clave" });
  await history.getByText("Asignada a un cliente").waitFor();
  assert.equal((await focused(page)).name, "Cerrar");
  await keyboard.press("Escape");
  await history.waitFor({ state: "detached" });
  assert.equal((await focused(page)).name, "Historial", "back on the button that opened it");
  await context.close();
});

test("no page threw a script error", () => {
  assert.deepEqual(pageErrors, []);
});
