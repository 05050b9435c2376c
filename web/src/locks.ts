// "Bloqueos" (issue 19): the guessing locks in force, soonest to let go first, each with until when in
// words; a user's lock is lifted at once ("Levantar", after asking). A distributor's lock cannot be
// lifted (the API lifts users only): it lets go by itself, as the row says.
import { call } from "./api";
import { ask, h, message } from "./dom";
import { t, type TextKey } from "./i18n";
import { describe } from "./problems";

interface Lock {
  scope: "USER" | "DISTRIBUTOR";
  userId?: string;
  username?: string;
  distributorId: string;
  lockedUntil: string;
}

/** "hasta las 11:52 (en 14 minutos)": a clock time in Mexico City and how long from now. */
export function untilText(iso: string): string {
  const until = new Date(iso);
  const at = new Intl.DateTimeFormat(document.documentElement.lang || "es-MX",
    { timeStyle: "short", timeZone: "America/Mexico_City" }).format(until);
  const seconds = Math.max(0, Math.round((until.getTime() - Date.now()) / 1000));
  const minutes = Math.ceil(seconds / 60);
  const wait = seconds < 60 ? t("wait.seconds", seconds) : minutes === 1 ? t("wait.minute") : t("wait.minutes", minutes);
  return t("locks.untilText", at, wait);
}

export function locksScreen(): HTMLElement {
  const feedback = h("div", { class: "feedback" });
  const results = h("div", { class: "table-wrap" });
  const refresh = h("button", { type: "button", class: "secondary" }, t("locks.refresh"));
  const columns: TextKey[] = ["locks.scope", "locks.user", "locks.distributor", "locks.until", "locks.action"];

  async function load(): Promise<void> {
    results.setAttribute("aria-busy", "true");
    refresh.disabled = true;
    try {
      const locks = (await call<{ items?: Lock[] }>("/v1/admin/lockouts")).items ?? [];
      results.replaceChildren(locks.length
        ? h("table", {}, h("caption", { class: "visually-hidden" }, t("locks.caption")),
          h("thead", {}, h("tr", {}, ...columns.map((c) => h("th", { scope: "col" }, t(c))))),
          h("tbody", {}, ...locks.map(row)))
        : h("p", { class: "empty" }, t("locks.none")));
    } catch (error) {
      feedback.append(message("error", describe(error)));
    } finally {
      results.removeAttribute("aria-busy");
      refresh.disabled = false;
    }
  }

  function row(lock: Lock): HTMLTableRowElement {
    const user = lock.username ?? lock.userId ?? "";
    const lift = lock.scope === "USER" && lock.userId
      ? h("button", { type: "button", class: "secondary", onclick: () => void liftLock(lock, user) },
        t("locks.lift"), h("span", { class: "visually-hidden" }, t("locks.liftOf", user)))
      : h("small", {}, t("locks.liftsItself"));
    const values: (Node | string)[] = [t(lock.scope === "USER" ? "locks.scopeUser" : "locks.scopeDistributor"),
      lock.scope === "USER" ? user : "", lock.distributorId, untilText(lock.lockedUntil), lift];
    return h("tr", {}, ...values.map((value, i) => h("td", { "data-label": t(columns[i]) }, value)));
  }

  async function liftLock(lock: Lock, user: string): Promise<void> {
    const yes = await ask(t("locks.liftTitle", user), t("locks.liftText", user, lock.distributorId), t("locks.liftYes"));
    if (!yes) return;
    feedback.replaceChildren();
    try {
      await call<unknown>(`/v1/admin/lockouts/${encodeURIComponent(lock.userId!)}`, { method: "DELETE" }).catch((error) => {
        // 204 has no body to read: only a refusal is an error
        if (error instanceof SyntaxError) return;
        throw error;
      });
      feedback.append(message("ok", t("locks.lifted", user)));
    } catch (error) {
      feedback.append(message("error", describe(error)));
    }
    await load();
    summary.focus();
  }

  const summary = h("h1", { id: "locks-title", tabindex: -1 }, t("menu.locks"));
  refresh.addEventListener("click", () => {
    feedback.replaceChildren();
    void load();
  });
  void load();
  return h("section", { "aria-labelledby": "locks-title" }, summary, h("p", { class: "hint" }, t("locks.intro")),
    feedback, results, h("div", { class: "pager" }, refresh));
}
