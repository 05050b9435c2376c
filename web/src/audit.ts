// "Bitácora" (issue 19): the back office's writes, newest first, a page at a time: when, who, what
// and on what. Filters: the days (Mexico City) from and to, who (a username), what (the action).
// A refusal (a range over 366 days, a bad name) is shown beside the field it names.
import { call } from "./api";
import { clearFieldProblems, field, h, localTime, message, showFieldProblem } from "./dom";
import { t, type TextKey } from "./i18n";
import { describe, fieldProblems } from "./problems";

const ACTIONS = ["PRODUCT_SAVED", "BATCH_MINTED", "BATCH_VOIDED", "KEY_VOIDED", "EMAIL_RESENT", "LOCK_LIFTED", "DISTRIBUTOR_SAVED"];
const OWN_WORDS: Record<string, TextKey> = {
  from: "error.audit.from",
  to: "error.audit.to",
  actor: "error.audit.actor",
  action: "error.audit.action",
};

interface Entry {
  at: string;
  actorSub: string;
  actorUsername?: string;
  action: string;
  target: string;
  requestId: string;
}

interface EntryPage {
  items?: Entry[];
  nextCursor?: string;
}

/** Where an entry's target opens, when the desk has a screen for it. */
function targetLink(entry: Entry): string | null {
  const id = encodeURIComponent(entry.target);
  switch (entry.action) {
    case "KEY_VOIDED":
    case "EMAIL_RESENT":
      return `#/admin/clave/${id}`;
    case "BATCH_MINTED":
    case "BATCH_VOIDED":
      return `#/admin/lotes/${id}`;
    case "DISTRIBUTOR_SAVED":
      return `#/admin/distribuidores/${id}`;
    default:
      return null;
  }
}

export function auditScreen(): HTMLElement {
  const from = h("input", { name: "from", type: "date" });
  const to = h("input", { name: "to", type: "date" });
  const actor = h("input", { name: "actor", autocomplete: "off", maxlength: 128, spellcheck: "false" });
  const action = h("select", { name: "action" }, h("option", { value: "" }, t("audit.anyAction")),
    ...ACTIONS.map((a) => h("option", { value: a }, t(`audit.${a}` as TextKey))));
  const controls: Record<string, HTMLInputElement | HTMLSelectElement> = { from, to, actor, action };
  const form = h("form", { class: "card grid find", novalidate: true },
    h("p", { class: "hint" }, t("audit.intro")),
    field(t("audit.from"), from), field(t("audit.to"), to), field(t("audit.actor"), actor, t("audit.actorHelp")), field(t("audit.action"), action),
    h("div", { class: "actions" }, h("button", { type: "submit" }, t("audit.submit"))));
  const feedback = h("div", { class: "feedback" });
  const results = h("div", {});
  const more = h("button", { type: "button", class: "secondary", hidden: true }, t("audit.more"));
  const columns: [TextKey, string?][] = [["audit.at"], ["audit.actor"], ["audit.actionCol"], ["audit.target", "mono"], ["audit.requestId", "mono"]];
  let query = new URLSearchParams();
  let cursor: string | undefined;
  let shown = 0;
  let rows: HTMLTableSectionElement | null = null;
  let searches = 0;

  async function search(): Promise<void> {
    query = new URLSearchParams();
    for (const [name, control] of Object.entries(controls)) if (control.value.trim()) query.set(name, control.value.trim());
    searches++;
    cursor = undefined;
    shown = 0;
    rows = null;
    results.replaceChildren();
    more.hidden = true;
    await load(false);
  }

  async function load(paging: boolean): Promise<void> {
    feedback.replaceChildren();
    clearFieldProblems(form);
    results.setAttribute("aria-busy", "true");
    more.disabled = true;
    const mine = searches;
    try {
      const params = new URLSearchParams(query);
      params.set("limit", "25");
      if (cursor) params.set("cursor", cursor);
      const page = await call<EntryPage>(`/v1/admin/audit?${params.toString()}`);
      if (mine === searches) show(page, paging);
    } catch (error) {
      if (mine === searches) refused(error);
    } finally {
      results.removeAttribute("aria-busy");
      more.disabled = false;
    }
  }

  function show(page: EntryPage, paging: boolean): void {
    const items = page.items ?? [];
    if (items.length && !rows) {
      rows = h("tbody", {});
      results.replaceChildren(h("div", { class: "table-wrap" }, h("table", {},
        h("caption", { class: "visually-hidden" }, t("audit.caption")),
        h("thead", {}, h("tr", {}, ...columns.map(([c, kind]) => h("th", { scope: "col", class: kind }, t(c))))), rows)));
    }
    const added = items.map(row);
    rows?.append(...added);
    shown += items.length;
    cursor = page.nextCursor;
    more.hidden = !cursor;
    if (shown === 0) results.replaceChildren(h("p", { class: "empty" }, t(cursor ? "audit.noneYet" : "audit.none")));
    if (paging) (added[0] ?? more).focus();
  }

  function row(entry: Entry): HTMLTableRowElement {
    const link = targetLink(entry);
    const values: (Node | string)[] = [localTime(entry.at), entry.actorUsername ?? entry.actorSub,
      t(`audit.${entry.action}` as TextKey) ?? entry.action, link ? h("a", { href: link }, entry.target) : entry.target, entry.requestId];
    // tabindex -1: "Más entradas" moves the focus to the first entry it brought
    return h("tr", { "data-at": entry.at, tabindex: -1 },
      ...values.map((value, i) => h("td", { "data-label": t(columns[i][0]), class: columns[i][1] }, value)));
  }

  function refused(error: unknown): void {
    const problems = fieldProblems(error, OWN_WORDS);
    const named: (HTMLInputElement | HTMLSelectElement)[] = [];
    for (const problem of problems) {
      const control = controls[problem.field];
      if (!control) feedback.append(message("error", problem.text));
      else if (!control.hasAttribute("aria-invalid")) {
        showFieldProblem(control, problem.text);
        named.push(control);
      }
    }
    if (!problems.length) feedback.append(message("error", describe(error)));
    named[0]?.focus();
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void search();
  });
  more.addEventListener("click", () => void load(true));
  void search();
  return h("section", { "aria-labelledby": "audit-title" }, h("h1", { id: "audit-title" }, t("menu.audit")), form, feedback,
    results, h("div", { class: "pager" }, more));
}
