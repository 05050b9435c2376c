// The desk: sign-in (figure 1), then the service desk with its left menu (figure 2): "Mis servicios"
// for distributors, "Administración" for the vendor's back office. Routes live in the URL's
// fragment (#/claves, #/claves/<keyId>), so Back, reloads, links in emails and a sign-in after the
// session ended all land on the same screen.
import "./style.css";
import { activateScreen } from "./activate";
import { adminKeyScreen, batchesScreen, productsScreen } from "./admin";
import { call, loadConfig } from "./api";
import { batchListScreen } from "./batchlist";
import { closeDialogs, h, message } from "./dom";
import { FIND_PATH, findKeyScreen } from "./find";
import { lang, setLang, t, type TextKey } from "./i18n";
import { keysScreen } from "./keys";
import { loginScreen } from "./login";
import { describe } from "./problems";
import { currentSession, onSessionChange, signOut } from "./session";

const app = document.getElementById("app") as HTMLElement;

interface Route {
  path: string;
  label: TextKey;
  group: "distributors" | "admins";
  /** @param detail what follows the route's path: #/claves/<keyId> opens "Claves prepago" on that key */
  screen: (detail: string | null) => HTMLElement;
}

const ROUTES: Route[] = [
  { path: "#/activar", label: "menu.activate", group: "distributors", screen: activateScreen },
  { path: "#/claves", label: "menu.keys", group: "distributors", screen: keysScreen },
  { path: "#/admin/productos", label: "menu.products", group: "admins", screen: productsScreen },
  { path: "#/admin/lotes", label: "menu.batches", group: "admins", screen: batchesScreen },
  { path: "#/admin/lista-lotes", label: "menu.batchList", group: "admins", screen: batchListScreen },
  { path: FIND_PATH, label: "menu.findKey", group: "admins", screen: findKeyScreen },
  { path: "#/admin/clave", label: "menu.adminKey", group: "admins", screen: adminKeyScreen },
];

function render(notice: string | null = null): void {
  // A window left open would act on a screen no longer shown (Back over a confirm window).
  closeDialogs();
  document.documentElement.lang = lang();
  document.title = t("app.title");
  const session = currentSession();
  if (!session) {
    // The route stays in the address: signing in again lands where the user was.
    app.replaceChildren(h("header", {}, h("span", { class: "brand" }, t("app.title")), languageButton()),
      h("main", { id: "main", class: "login-page" }, loginScreen(notice)));
    return;
  }
  const group = session.groups.includes("admins") ? "admins" : "distributors";
  const mine = ROUTES.filter((r) => r.group === group);
  const route = mine.find((r) => location.hash === r.path || location.hash.startsWith(r.path + "/")) ?? mine[0];
  if (!location.hash.startsWith(route.path)) history.replaceState(null, "", route.path);
  const detail = location.hash.length > route.path.length + 1 ? decodeURIComponent(location.hash.slice(route.path.length + 1)) : null;
  const menu = h("nav", { "aria-label": t(group === "admins" ? "menu.admin" : "menu.services") },
    h("h2", {}, t(group === "admins" ? "menu.admin" : "menu.services")),
    h("ul", {}, ...mine.map((r) => h("li", {}, h("a", { href: r.path, "aria-current": r === route ? "page" : undefined }, t(r.label))))));
  const main = h("main", { id: "main", tabindex: -1 }, route.screen(detail));
  const whoText = () => [session.email || session.username,
    session.distributorId ? t("header.account", accountNames.get(session.distributorId) || session.distributorId) : null]
    .filter(Boolean).join(" · ");
  const who = h("span", { class: "who" }, whoText());
  if (session.distributorId && !accountNames.has(session.distributorId)) {
    const id = session.distributorId;
    accountNames.set(id, null);
    // the name arrives after the screen: only the header's text changes, nothing moves the focus
    call<{ name?: string }>("/v1/account").then((account) => {
      accountNames.set(id, account.name ?? null);
      who.textContent = whoText();
    }, () => accountNames.delete(id));
  }
  app.replaceChildren(
    h("a", { href: "#main", class: "skip", onclick: (e: Event) => { e.preventDefault(); main.focus(); } }, t("app.skip")),
    h("header", {},
      h("span", { class: "brand" }, t("app.title")),
      who,
      languageButton(),
      h("button", { type: "button", class: "secondary", onclick: () => signOut() }, t("menu.signOut"))),
    h("div", { class: "layout" }, menu, main));
  main.querySelector<HTMLElement>("input, select, button")?.focus();
}

/** Distributor names by id, asked once per account (GET /v1/account); null until known, or when the back office has none. */
const accountNames = new Map<string, string | null>();

function languageButton(): HTMLElement {
  return h("button", { type: "button", class: "secondary", lang: lang() === "en" ? "es-MX" : "en",
    onclick: () => { setLang(lang() === "en" ? "es-MX" : "en"); render(); } }, t("lang.switch"));
}

// Renewals change nothing on screen; a sign-in, a sign-out or an ended session (in any tab) does.
onSessionChange((event) => {
  if (event !== "renewed") render(event === "expired" ? t("login.expired") : null);
});
window.addEventListener("hashchange", () => render());
loadConfig().then(() => render(), (error) => app.replaceChildren(message("error", describe(error))));
