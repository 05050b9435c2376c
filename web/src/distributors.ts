// "Distribuidores" (issue 19): the distributor accounts in id order, a page at a time; one opened
// (#/admin/distribuidores/<id>) shows its record to edit, suspends or reactivates it after saying what
// that does, and lists its users as Cognito has them (read-only: users are managed in the user pool).
import { call } from "./api";
import { ask, clearFieldProblems, field, h, localTime, message, showFieldProblem } from "./dom";
import { t, type TextKey } from "./i18n";
import { describe, fieldProblems } from "./problems";

export const DISTRIBUTORS_PATH = "#/admin/distribuidores";

interface Distributor {
  distributorId: string;
  name: string;
  rfc: string;
  contactEmail: string;
  status: "ACTIVE" | "SUSPENDED";
  updatedAt?: string;
  updatedBy?: string;
}

interface DistributorPage {
  items?: Distributor[];
  nextCursor?: string;
}

interface AccountUser {
  username: string;
  email?: string;
  enabled: boolean;
  status: string;
}

const OWN_WORDS: Record<string, TextKey> = {
  name: "error.distributor.name",
  rfc: "error.distributor.rfc",
  contactEmail: "error.distributor.contactEmail",
};

function statusBadge(status: string): HTMLElement {
  return h("span", { class: `badge account-${status.toLowerCase()}` }, t(status === "SUSPENDED" ? "account.SUSPENDED" : "account.ACTIVE"));
}

/** @param detail a distributor id: that account; none: the list */
export function distributorsScreen(detail: string | null): HTMLElement {
  return detail ? distributorScreen(detail) : distributorListScreen();
}

function distributorListScreen(): HTMLElement {
  const feedback = h("div", { class: "feedback" });
  const results = h("div", { class: "table-wrap" });
  const rows = h("tbody", {});
  const more = h("button", { type: "button", class: "secondary", hidden: true }, t("distributors.more"));
  let cursor: string | undefined;
  let shown = 0;
  const columns: TextKey[] = ["distributors.id", "distributors.name", "distributors.rfc", "distributors.status"];

  async function load(paging: boolean): Promise<void> {
    feedback.replaceChildren();
    results.setAttribute("aria-busy", "true");
    more.disabled = true;
    try {
      const page = await call<DistributorPage>(`/v1/admin/distributors?limit=25${cursor ? "&cursor=" + encodeURIComponent(cursor) : ""}`);
      const added = (page.items ?? []).map(row);
      rows.append(...added);
      shown += added.length;
      cursor = page.nextCursor;
      more.hidden = !cursor;
      if (shown === 0) results.replaceChildren(h("p", { class: "empty" }, t("distributors.none")));
      if (paging) (added[0]?.querySelector("a") ?? more).focus();
    } catch (error) {
      feedback.append(message("error", describe(error)));
    } finally {
      results.removeAttribute("aria-busy");
      more.disabled = false;
    }
  }

  function row(account: Distributor): HTMLTableRowElement {
    const values: (Node | string)[] = [
      h("a", { href: `${DISTRIBUTORS_PATH}/${encodeURIComponent(account.distributorId)}`, class: "mono" }, account.distributorId),
      account.name, h("span", { class: "mono" }, account.rfc), statusBadge(account.status)];
    return h("tr", {}, ...values.map((value, i) => h("td", { "data-label": t(columns[i]) }, value)));
  }

  results.append(h("table", {}, h("caption", { class: "visually-hidden" }, t("distributors.caption")),
    h("thead", {}, h("tr", {}, ...columns.map((c) => h("th", { scope: "col" }, t(c))))), rows));
  more.addEventListener("click", () => void load(true));
  void load(false);
  return h("section", { "aria-labelledby": "distributors-title" }, h("h1", { id: "distributors-title" }, t("menu.distributors")),
    h("p", { class: "hint" }, t("distributors.intro")), feedback, results, h("div", { class: "pager" }, more));
}

function distributorScreen(distributorId: string): HTMLElement {
  const name = h("input", { name: "name", autocomplete: "organization", maxlength: 200 });
  const rfc = h("input", { name: "rfc", autocomplete: "off", autocapitalize: "characters", maxlength: 20, spellcheck: "false" });
  const contactEmail = h("input", { name: "contactEmail", type: "email", autocomplete: "email", maxlength: 254, spellcheck: "false" });
  const controls: Record<string, HTMLInputElement> = { name, rfc, contactEmail };
  const status = h("p", { class: "account-status" });
  const updated = h("p", { class: "hint" });
  const save = h("button", { type: "submit" }, t("distributor.save"));
  const toggle = h("button", { type: "button", class: "secondary" });
  const form = h("form", { class: "card grid", novalidate: true },
    status, field(t("distributor.name"), name), field(t("distributor.rfc"), rfc), field(t("distributor.contactEmail"), contactEmail),
    h("div", { class: "actions" }, save, toggle), updated);
  const feedback = h("div", { class: "feedback" });
  const usersBox = h("div", { class: "table-wrap", "aria-busy": "true" });
  /** The record's form, shown once the record has come (a .grid ignores the hidden attribute). */
  const formBox = h("div", {});
  /** The account as the service has it now: suspending writes this with the other status, never unsaved edits. */
  let saved: Distributor | null = null;

  function show(account: Distributor): void {
    saved = account;
    status.replaceChildren(t("distributor.statusIs"), " ", statusBadge(account.status));
    updated.textContent = account.updatedAt ? t("distributor.updated", localTime(account.updatedAt), account.updatedBy ?? "") : "";
    toggle.textContent = t(account.status === "SUSPENDED" ? "distributor.reactivate" : "distributor.suspend");
    if (form.parentNode !== formBox) formBox.replaceChildren(form);
  }

  async function put(body: Omit<Distributor, "distributorId">, done: TextKey): Promise<boolean> {
    feedback.replaceChildren();
    clearFieldProblems(form);
    save.disabled = toggle.disabled = true;
    try {
      const account = await call<Distributor>(`/v1/admin/distributors/${encodeURIComponent(distributorId)}`,
        { method: "PUT", body: { name: body.name, rfc: body.rfc, contactEmail: body.contactEmail, status: body.status } });
      show(account);
      feedback.append(message("ok", t(done)));
      return true;
    } catch (error) {
      const problems = fieldProblems(error, OWN_WORDS);
      const named = problems.map((p) => ({ ...p, control: controls[p.field] })).filter((p) => p.control);
      for (const p of named) showFieldProblem(p.control, p.text);
      for (const p of problems.filter((p) => !controls[p.field])) feedback.append(message("error", p.text));
      if (!problems.length) feedback.append(message("error", describe(error)));
      named[0]?.control.focus();
      return false;
    } finally {
      save.disabled = toggle.disabled = false;
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!saved) return;
    void put({ name: name.value.trim(), rfc: rfc.value.trim(), contactEmail: contactEmail.value.trim(), status: saved.status }, "distributor.saved");
  });
  toggle.addEventListener("click", async () => {
    if (!saved) return;
    const suspending = saved.status === "ACTIVE";
    const yes = await ask(t(suspending ? "distributor.suspendTitle" : "distributor.reactivateTitle", distributorId),
      t(suspending ? "distributor.suspendText" : "distributor.reactivateText", saved.name),
      t(suspending ? "distributor.suspendYes" : "distributor.reactivateYes"));
    if (!yes || !saved) return;
    const ok = await put({ ...saved, status: suspending ? "SUSPENDED" : "ACTIVE" }, suspending ? "distributor.suspended" : "distributor.reactivated");
    if (ok) toggle.focus();
  });

  async function load(): Promise<void> {
    const path = `/v1/admin/distributors/${encodeURIComponent(distributorId)}`;
    const [account, users] = await Promise.allSettled([call<Distributor>(path), call<{ items?: AccountUser[] }>(`${path}/users`)]);
    if (account.status === "fulfilled") {
      name.value = account.value.name;
      rfc.value = account.value.rfc;
      contactEmail.value = account.value.contactEmail;
      show(account.value);
      name.focus();
    } else {
      feedback.append(message("error", describe(account.reason)));
    }
    usersBox.removeAttribute("aria-busy");
    if (users.status === "rejected") {
      usersBox.replaceChildren(message("error", describe(users.reason)));
      return;
    }
    const items = users.value.items ?? [];
    if (!items.length) {
      usersBox.replaceChildren(h("p", { class: "empty" }, t("distributor.noUsers")));
      return;
    }
    const columns: TextKey[] = ["distributor.username", "distributor.email", "distributor.enabled", "distributor.cognitoStatus"];
    usersBox.replaceChildren(h("table", {}, h("caption", {}, t("distributor.users")),
      h("thead", {}, h("tr", {}, ...columns.map((c) => h("th", { scope: "col" }, t(c))))),
      h("tbody", {}, ...items.map((user) => h("tr", {}, ...[user.username, user.email ?? "", t(user.enabled ? "common.yes" : "common.no"),
        cognitoStatus(user.status)].map((value, i) => h("td", { "data-label": t(columns[i]) }, value)))))));
  }

  void load();
  return h("section", { "aria-labelledby": "distributor-title" },
    h("p", { class: "back" }, h("a", { href: DISTRIBUTORS_PATH }, t("distributor.back"))),
    h("h1", { id: "distributor-title", class: "mono" }, distributorId), feedback, formBox, usersBox);
}

function cognitoStatus(status: string): string {
  const known: Record<string, TextKey> = {
    CONFIRMED: "cognito.CONFIRMED",
    FORCE_CHANGE_PASSWORD: "cognito.FORCE_CHANGE_PASSWORD",
    RESET_REQUIRED: "cognito.RESET_REQUIRED",
    UNCONFIRMED: "cognito.UNCONFIRMED",
  };
  return known[status] ? t(known[status]) : status;
}
