// Signing in as people really do: a user created with a temporary password (the README's deploy
// steps), a forgotten password, a session that outlives its ID token, one that ends, two tabs.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  checkAccessibility, confirmationCode, desk, launch, newContext, newUser, pageErrors, password, shot, signIn, stack,
} from "./support.mjs";

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

async function freshPage() {
  const context = await newContext(browser);
  return { context, page: await context.newPage() };
}

/** The session the desk keeps for this tab. */
function storedSession(page) {
  return page.evaluate(() => JSON.parse(sessionStorage.getItem("session") ?? "null"));
}

test("#1 a user with a temporary password chooses a new one and is in", async () => {
  const user = await newUser({ temporary: true });
  const { context, page } = await freshPage();
  await page.goto(desk);
  await page.getByLabel("Usuario").fill(user.username);
  await page.getByLabel("Contraseña").fill(user.password);
  await page.getByRole("button", { name: "Iniciar sesión" }).click();
  await page.getByRole("heading", { name: "Elige una contraseña nueva" }).waitFor({ timeout: 5000 });
  await shot(page, "16-contrasena-nueva.png");
  await checkAccessibility(page, "sign-in: new password");

  await page.getByLabel("Contraseña nueva", { exact: true }).fill("corta");
  await page.getByLabel("Repite la contraseña nueva").fill("corta");
  await page.getByRole("button", { name: "Guardar y entrar" }).click();
  await page.getByRole("alert").filter({ hasText: "al menos 12 caracteres" }).waitFor();
  await page.getByLabel("Contraseña nueva", { exact: true }).fill("Distribuidora-2027");
  await page.getByLabel("Repite la contraseña nueva").fill("Distribuidora-2028");
  await page.getByRole("button", { name: "Guardar y entrar" }).click();
  await page.getByRole("alert").filter({ hasText: "no coinciden" }).waitFor();
  await page.getByLabel("Repite la contraseña nueva").fill("Distribuidora-2027");
  await page.getByRole("button", { name: "Guardar y entrar" }).click();
  await page.getByRole("link", { name: "Activar claves de producto prepago" }).waitFor();

  await page.getByRole("button", { name: "Cerrar sesión" }).click();
  await signIn(page, user.username, "Distribuidora-2027");
  await context.close();
});

test("¿Olvidaste tu contraseña?: a code by email, a new password, and in", async () => {
  const user = await newUser();
  const { context, page } = await freshPage();
  await page.goto(desk);
  await page.getByLabel("Usuario").fill(user.username);
  await page.getByRole("button", { name: "¿Olvidaste tu contraseña?" }).click();
  await page.getByRole("heading", { name: "Restablecer la contraseña" }).waitFor({ timeout: 5000 });
  assert.equal(await page.getByLabel("Usuario").inputValue(), user.username, "the user typed so far is kept");
  await checkAccessibility(page, "sign-in: forgot password");
  await page.getByRole("button", { name: "Enviar código" }).click();
  await page.getByText("enviamos un código a su correo").waitFor();
  const code = confirmationCode(user.username);
  assert.match(code ?? "", /^\d{6}$/, "cognito-local kept the code it 'emailed'");
  await shot(page, "17-restablecer-contrasena.png");
  await checkAccessibility(page, "sign-in: code and new password");

  await page.getByLabel("Código").fill(code === "000000" ? "111111" : "000000");
  await page.getByLabel("Contraseña nueva", { exact: true }).fill("Recuperada-2027");
  await page.getByLabel("Repite la contraseña nueva").fill("Recuperada-2027");
  await page.getByRole("button", { name: "Cambiar contraseña" }).click();
  await page.getByRole("alert").filter({ hasText: "El código no es correcto" }).waitFor();
  await page.getByLabel("Código").fill(code);
  await page.getByRole("button", { name: "Cambiar contraseña" }).click();
  await page.getByText("Tu contraseña cambió").waitFor();
  assert.equal(await page.getByLabel("Usuario").inputValue(), user.username);
  await page.getByLabel("Contraseña").fill("Recuperada-2027");
  await page.getByRole("button", { name: "Iniciar sesión" }).click();
  await page.getByRole("navigation").waitFor();

  // a user nobody created reads exactly as one that exists: the code step, no "unknown user"
  await page.getByRole("button", { name: "Cerrar sesión" }).click();
  await page.getByRole("button", { name: "¿Olvidaste tu contraseña?" }).click();
  await page.getByLabel("Usuario").fill("nadie-" + crypto.randomUUID().slice(0, 6));
  await page.getByRole("button", { name: "Enviar código" }).click();
  await page.getByText("enviamos un código a su correo").waitFor();
  await context.close();
});

test("the demo users show on the local stack only", async () => {
  const { context, page } = await freshPage();
  await page.goto(desk);
  await page.getByText(/Usuarios de prueba de la pila local: ana\.lopez, carlos\.mendez, beatriz\.soto, admin · contraseña/).waitFor();
  await checkAccessibility(page, "sign-in");
  // a deployed desk's config.json has no demo users
  await page.route("**/config.json", async (route) => {
    const config = await (await route.fetch()).json();
    delete config.demo;
    await route.fulfill({ json: config });
  });
  await page.reload();
  await page.getByRole("heading", { name: "Acceso a Distribuidores" }).waitFor();
  assert.equal(await page.getByText(/Usuarios de prueba|ana\.lopez|Prepago-2026/).count(), 0);
  await context.close();
});

test("#9 the session is renewed with the refresh token before the ID token expires", async () => {
  const { context, page } = await freshPage();
  await page.clock.install();
  await signIn(page, "carlos.mendez");
  const first = await storedSession(page);
  assert.ok(first.refreshToken, "the refresh token is kept");
  const renewal = page.waitForRequest((request) => request.url().startsWith(stack.cognito.endpoint)
    && (request.postData() ?? "").includes("REFRESH_TOKEN_AUTH"));
  // the ID token lives an hour: renewed five minutes (and a few seconds) before
  await page.clock.fastForward("55:30");
  await renewal;
  await page.waitForFunction((before) => JSON.parse(sessionStorage.getItem("session")).idToken !== before, first.idToken);
  await page.getByRole("link", { name: "Claves prepago" }).click();
  await page.locator("tbody tr").first().waitFor();
  await context.close();
});

test("#9 a 401 is cured by the refresh token, and the request goes through", async () => {
  const { context, page } = await freshPage();
  await signIn(page, "carlos.mendez");
  // the gateway refuses this ID token (its signature is not the pool's), as it does an expired one
  await page.evaluate(() => {
    const session = JSON.parse(sessionStorage.getItem("session"));
    session.idToken = session.idToken.slice(0, -6) + "AAAAAA";
    sessionStorage.setItem("session", JSON.stringify(session));
  });
  const refused = page.waitForResponse((response) => response.url().includes("/v1/prepaid-keys") && response.status() === 401);
  await page.evaluate(() => {
    location.hash = "#/claves";
    location.reload();
  });
  await refused;
  await page.locator("tbody tr").first().waitFor({ timeout: 5000 });
  assert.equal(await page.getByRole("alert").count(), 0);
  await context.close();
});

test("#9 an ended session returns to sign-in, and signing in returns to the screen", async () => {
  const { context, page } = await freshPage();
  await signIn(page, "carlos.mendez");
  await page.getByRole("link", { name: "Claves prepago" }).click();
  await page.locator("tbody tr").first().waitFor();
  // revoked: neither token is any good any more
  await page.evaluate(() => {
    const session = JSON.parse(sessionStorage.getItem("session"));
    session.idToken = session.idToken.slice(0, -6) + "AAAAAA";
    session.refreshToken = "revoked";
    sessionStorage.setItem("session", JSON.stringify(session));
  });
  await page.reload();
  await page.getByRole("heading", { name: "Acceso a Distribuidores" }).waitFor({ timeout: 5000 });
  await page.getByText("Tu sesión terminó. Inicia sesión de nuevo para continuar donde estabas.").waitFor();
  assert.match(page.url(), /#\/claves$/, "the address keeps the screen");
  await shot(page, "18-sesion-terminada.png");
  await page.getByLabel("Usuario").fill("carlos.mendez");
  await page.getByLabel("Contraseña").fill(password);
  await page.getByRole("button", { name: "Iniciar sesión" }).click();
  await page.getByRole("heading", { name: "Claves prepago" }).waitFor();
  await context.close();
});

test("#10 a second tab shares the session, and signing out in one signs out both", async () => {
  const { context, page } = await freshPage();
  await signIn(page, "carlos.mendez");
  const second = await context.newPage();
  await second.goto(desk + "#/claves");
  await second.getByRole("heading", { name: "Claves prepago" }).waitFor({ timeout: 5000 });
  assert.ok(!second.url().includes("eyJ"), "no token in the address");
  await second.getByRole("button", { name: "Cerrar sesión" }).click();
  await page.getByRole("heading", { name: "Acceso a Distribuidores" }).waitFor({ timeout: 5000 });
  await context.close();
});

test("no page threw a script error", () => {
  assert.deepEqual(pageErrors, []);
});
