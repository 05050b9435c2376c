// "Buscar una clave" (issue 18 #8): the back office finds any key by what people read: the last five
// characters a distributor reads out on the phone, a batch id, a distributor id; status, product and
// client RFC narrow it. The search lives in the address (#/admin/buscar/<query>), so a row opened
// and Back land on the same results.
import { call } from "./api";
import { clearFieldProblems, field, h, message, showFieldProblem } from "./dom";
import { statusText, t, type TextKey } from "./i18n";
import { describe, fieldProblems } from "./problems";

export const FIND_PATH = "#/admin/buscar";
const STATUSES = ["ISSUED", "AVAILABLE", "USED", "EXPIRED", "VOID"];
/** Where a search starts; the other filters only narrow it (the API refuses a search without one). */
const LEADS = ["suffix", "batchId", "distributorId"] as const;
const OWN_WORDS: Record<string, TextKey> = {
  suffix: "error.find.suffix",
  batchId: "error.find.batchId",
  distributorId: "error.find.distributorId",
  clientRfc: "error.find.clientRfc",
  product: "error.list.product",
  status: "error.find.status",
};

interface FoundKey {
  keyId: string;
  maskedKey: string;
  status: string;
  product: { sku: string; name: string };
  batchId?: string;
  distributorId?: string;
  client?: { rfc: string; name: string };
}

interface Found {
  items?: FoundKey[];
  nextCursor?: string;
}

/** The address of a search: #/admin/buscar/batchId=… (the batch list links here). */
export function findLink(query: Record<string, string>): string {
  return `${FIND_PATH}/${encodeURIComponent(new URLSearchParams(query).toString())}`;
}

/**
 * A key's end as people read it out, as the service reads it: case, spaces and dashes aside, O as 0,
 * I and L as 1; the whole masked key (stars or X) gives its end. Anything else goes as typed, for the
 * service to name.
 */
function readSuffix(typed: string): string {
  let compact = typed.replace(/[\s-]/g, "").toUpperCase();
  if (compact.length === 25 && /^(\*{20}|X{20})/.test(compact)) compact = compact.slice(20);
  return /^[0-9A-Z]{5}$/.test(compact) ? compact.replace(/O/g, "0").replace(/[IL]/g, "1") : typed.trim();
}

/** @param detail the search in the address (a query string), run at once */
export function findKeyScreen(detail: string | null): HTMLElement {
  const suffix = h("input", { name: "suffix", autocomplete: "off", autocapitalize: "characters", maxlength: 64, spellcheck: "false" });
  const batchId = h("input", { name: "batchId", autocomplete: "off", maxlength: 16, spellcheck: "false" });
  const distributorId = h("input", { name: "distributorId", autocomplete: "off", maxlength: 64, spellcheck: "false" });
  const clientRfc = h("input", { name: "clientRfc", autocomplete: "off", autocapitalize: "characters", maxlength: 40 });
  const product = h("input", { name: "product", autocomplete: "off", autocapitalize: "characters", maxlength: 32, placeholder: "SAE-12M" });
  const statusBoxes = STATUSES.map((s) => h("input", { type: "checkbox", value: s, id: `find-status-${s}`, name: "status" }));
  const controls: Record<string, HTMLInputElement> = { suffix, batchId, distributorId, clientRfc, product };
  const form = h("form", { class: "card grid find", novalidate: true },
    h("p", { class: "hint" }, t("find.intro")),
    field(t("field.suffix"), suffix, t("find.suffixHelp")), field(t("field.batchId"), batchId), field(t("field.distributorId"), distributorId),
    field(t("field.clientRfc"), clientRfc), field(t("find.product"), product),
    h("fieldset", {}, h("legend", {}, t("find.status")),
      ...statusBoxes.map((box) => h("span", { class: "check" }, box, h("label", { for: box.id }, statusText(box.value))))),
    h("div", { class: "actions" }, h("button", { type: "submit" }, t("find.submit")),
      h("button", { type: "reset", class: "secondary" }, t("find.clear"))));
  const feedback = h("div", { class: "feedback" });
  const summary = h("p", { class: "summary", role: "status", tabindex: -1 });
  const results = h("div", {});
  const more = h("button", { type: "button", class: "secondary", hidden: true }, t("find.more"));
  let query = new URLSearchParams();
  let cursor: string | undefined;
  let shown = 0;
  let rows: HTMLTableSectionElement | null = null;
  /** The search a page belongs to: an answer to an earlier one (Buscar pressed twice) is dropped. */
  let searches = 0;

  function fill(from: URLSearchParams): void {
    for (const [name, control] of Object.entries(controls)) control.value = from.get(name) ?? "";
    const statuses = (from.get("status") ?? "").split(",");
    for (const box of statusBoxes) box.checked = statuses.includes(box.value);
  }

  function typed(): URLSearchParams {
    const params = new URLSearchParams();
    suffix.value = suffix.value.trim() ? readSuffix(suffix.value) : "";
    product.value = product.value.trim().toUpperCase();
    for (const [name, control] of Object.entries(controls)) {
      if (control.value.trim()) params.set(name, control.value.trim());
    }
    const statuses = statusBoxes.filter((b) => b.checked).map((b) => b.value);
    if (statuses.length) params.set("status", statuses.join(","));
    return params;
  }

  async function search(params: URLSearchParams): Promise<void> {
    query = params;
    searches++;
    cursor = undefined;
    shown = 0;
    rows = null;
    results.replaceChildren();
    summary.textContent = "";
    more.hidden = true;
    await load();
  }

  async function load(paging = false): Promise<void> {
    feedback.replaceChildren();
    clearFieldProblems(form);
    results.setAttribute("aria-busy", "true");
    more.disabled = true;
    const search = searches;
    try {
      const params = new URLSearchParams(query);
      if (cursor) params.set("cursor", cursor);
      const page = await call<Found>(`/v1/admin/prepaid-keys?${params.toString()}`);
      if (search === searches) show(page, paging);
    } catch (error) {
      if (search === searches) refused(error);
    } finally {
      results.removeAttribute("aria-busy");
      more.disabled = false;
    }
  }

  function show(page: Found, paging: boolean): void {
    const items = page.items ?? [];
    if (items.length && !rows) {
      rows = h("tbody", {});
      results.replaceChildren(h("div", { class: "table-wrap" }, h("table", {},
        h("caption", { class: "visually-hidden" }, t("find.results")),
        h("thead", {}, h("tr", {}, ...["find.key", "find.status", "find.distributor", "find.productCol", "find.batch", "find.client"]
          .map((c) => h("th", { scope: "col" }, t(c as TextKey))))),
        rows)));
    }
    const added = items.map(row);
    rows?.append(...added);
    shown += items.length;
    cursor = page.nextCursor;
    more.hidden = !cursor;
    if (shown === 0) {
      // Nothing yet: a short page may still have a next one (the service reads at most 500 keys a request).
      const onlySuffix = query.has("suffix") && [...query.keys()].length === 1;
      results.replaceChildren(h("p", { class: "empty" },
        cursor ? t("find.noneYet") : onlySuffix ? t("find.noneSuffix", query.get("suffix") ?? "") : t("find.none")));
    }
    summary.textContent = shown === 0 ? "" : t(cursor ? "find.foundMore" : shown === 1 ? "find.foundOne" : "find.found", shown);
    // "Más resultados" pressed: the focus goes to the first key it brought, or says what happened.
    if (paging) (added[0]?.querySelector("a") ?? (cursor ? more : summary)).focus();
  }

  function row(key: FoundKey): HTMLTableRowElement {
    const cells: [TextKey, Node | string, string?][] = [
      ["find.key", h("a", { href: `#/admin/clave/${encodeURIComponent(key.keyId)}` }, key.maskedKey), "key"],
      ["find.status", h("span", { class: `badge ${key.status.toLowerCase()}` }, statusText(key.status))],
      ["find.distributor", key.distributorId ?? ""],
      ["find.productCol", key.product.name],
      ["find.batch", key.batchId ?? "", "mono"],
      ["find.client", key.client ? `${key.client.name} · ${key.client.rfc}` : ""],
    ];
    return h("tr", {}, ...cells.map(([label, content, kind]) => h("td", { "data-label": t(label), class: kind }, content)));
  }

  function refused(error: unknown): void {
    const problems = fieldProblems(error, OWN_WORDS);
    if (!problems.length) {
      feedback.append(message("error", describe(error)));
      return;
    }
    // Without a lead the service names the leads and every narrowing filter sent: the desk says it once, beside the first lead.
    const noLead = LEADS.every((name) => !query.has(name));
    const leadProblem = `${suffix.id}-problem`;
    if (noLead) showFieldProblem(suffix, t("error.find.lead"));
    const named: HTMLElement[] = [];
    for (const problem of problems) {
      const control = problem.field === "status" ? statusBoxes[0] : controls[problem.field];
      if (!control) {
        feedback.append(message("error", problem.text));
        continue;
      }
      if (control.hasAttribute("aria-invalid")) continue;
      showFieldProblem(control, noLead ? t("error.find.lead") : problem.text, noLead ? leadProblem : undefined);
      named.push(control);
    }
    (noLead ? suffix : named[0] ?? suffix).focus();
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const params = typed();
    const address = findLink(Object.fromEntries(params));
    // The address keeps the search (Back from a key lands here); pushState, so this screen stays as it is.
    if (location.hash !== address) history.pushState(null, "", address);
    void search(params);
  });
  form.addEventListener("reset", () => {
    setTimeout(() => {
      clearFieldProblems(form);
      feedback.replaceChildren();
      results.replaceChildren();
      summary.textContent = "";
      more.hidden = true;
      history.pushState(null, "", FIND_PATH);
      suffix.focus();
    }, 0);
  });
  more.addEventListener("click", () => void load(true));

  if (detail) {
    const params = new URLSearchParams(detail);
    fill(params);
    void search(params);
  }
  return h("section", { "aria-labelledby": "find-title" }, h("h1", { id: "find-title" }, t("menu.findKey")), form, feedback, summary,
    results, h("div", { class: "pager" }, more));
}
