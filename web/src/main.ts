// The desk: sign-in (figure 1), then the service desk with its left menu (figure 2): "Mis servicios"
// for distributors, "Administración" for the vendor's back office.
import "./style.css";
import { activateScreen } from "./activate";
import { adminKeyScreen, batchesScreen, productsScreen } from "./admin";
import { currentSession, loadConfig, signIn, signOut } from "./api";
import { describe, field, h, message } from "./dom";
import { lang, setLang, t, type TextKey } from "./i18n";
import { keysScreen } from "./keys";

const app = document.getElementById("app") as HTMLElement;

interface Route {
  path: string;
  label: TextKey;
  group: "distributors" | "admins";
  screen: () => HTMLElement;
}

const ROUTES: Route[] = [
  { path: "#/activar", label: "menu.activate", group: "distributors", screen: activateScreen },
  { path: "#/claves", label: "menu.keys", group: "distributors", screen: keysScreen },
  { path: "#/admin/productos", label: "menu.products", group: "admins", screen: productsScreen },
  { path: "#/admin/lotes", label: "menu.batches", group: "admins", screen: batchesScreen },
  { path: "#/admin/clave", label: "menu.adminKey", group: "admins", screen: adminKeyScreen },
];

function render(): void {
  document.documentElement.lang = lang();
  document.title = t("app.title");
  const session = currentSession();
  if (!session) {
    app.replaceChildren(loginScreen());
    return;
  }
  const group = session.groups.includes("admins") ? "admins" : "distributors";
  const mine = ROUTES.filter((r) => r.group === group);
  const route = mine.find((r) => r.path === location.hash) ?? mine[0];
  if (location.hash !== route.path) history.replaceState(null, "", route.path);
  const menu = h("nav", { "aria-label": t(group === "admins" ? "menu.admin" : "menu.services") },
    h("h2", {}, t(group === "admins" ? "menu.admin" : "menu.services")),
    h("ul", {}, ...mine.map((r) => h("li", {}, h("a", { href: r.path, "aria-current": r === route ? "page" : undefined }, t(r.label))))));
  const main = h("main", { id: "main", tabindex: -1 }, route.screen());
  app.replaceChildren(
    h("a", { href: "#main", class: "skip", onclick: (e: Event) => { e.preventDefault(); main.focus(); } }, "Ir al contenido"),
    h("header", {},
      h("span", { class: "brand" }, t("app.title")),
      h("span", { class: "who" }, session.email + (session.distributorId ? ` · ${session.distributorId}` : "")),
      languageButton(),
      h("button", { type: "button", class: "secondary", onclick: () => { signOut(); render(); } }, t("menu.signOut"))),
    h("div", { class: "layout" }, menu, main));
  main.querySelector<HTMLElement>("input, button")?.focus();
}

function languageButton(): HTMLElement {
  return h("button", { type: "button", class: "secondary", lang: lang() === "en" ? "es-MX" : "en",
    onclick: () => { setLang(lang() === "en" ? "es-MX" : "en"); render(); } }, t("lang.switch"));
}

/** Figure 1: "Acceso a Distribuidores". */
function loginScreen(): HTMLElement {
  const user = h("input", { name: "username", autocomplete: "username", required: true });
  const password = h("input", { name: "password", type: "password", autocomplete: "current-password", required: true });
  const feedback = h("div", { class: "feedback" });
  const submit = h("button", { type: "submit" }, t("login.submit"));
  const form = h("form", { class: "card login" },
    h("h1", {}, t("login.title")), field(t("login.user"), user), field(t("login.password"), password), feedback,
    h("div", { class: "actions" }, submit), h("p", { class: "hint" }, t("login.hint")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    feedback.replaceChildren();
    submit.disabled = true;
    try {
      await signIn(user.value.trim(), password.value);
      render();
    } catch (error) {
      feedback.append(message("error", (error as { code?: string }).code === "SIGN_IN_FAILED" ? t("login.failed") : describe(error)));
      submit.disabled = false;
      password.focus();
    }
  });
  queueMicrotask(() => user.focus());
  return h("div", { class: "login-page" }, h("header", {}, h("span", { class: "brand" }, t("app.title")), languageButton()), form);
}

window.addEventListener("hashchange", render);
loadConfig().then(render, (error) => app.replaceChildren(message("error", describe(error))));
