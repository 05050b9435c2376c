// "Claves prepago" (walkthrough figure 5): the distributor's keys, Filtro, Columnas, order, pages,
// counts by status, CSV export; per key, "Asignar a cliente" and its history.
import { call, download, newIdempotencyKey } from "./api";
import { describe, field, h, localTime, message, openDialog, saveFile } from "./dom";
import { statusText, t, type TextKey } from "./i18n";

const COLUMNS = ["maskedKey", "product", "status", "clientRfc", "clientName", "activatedAt", "activatedBy", "assignedAt", "expiresAt"] as const;
type Column = (typeof COLUMNS)[number];
const DEFAULT_COLUMNS: Column[] = ["maskedKey", "product", "status", "clientName", "clientRfc", "activatedAt"];
const STATUSES = ["AVAILABLE", "USED", "EXPIRED", "VOID"];
const SORTS = ["-activatedAt", "activatedAt", "expiresAt", "-expiresAt"];

interface Row {
  keyId: string;
  maskedKey?: string;
  product?: { sku: string; name: string };
  status?: string;
  clientRfc?: string;
  clientName?: string;
  activatedAt?: string;
  activatedBy?: string;
  assignedAt?: string;
  expiresAt?: string;
}

interface Page {
  items?: Row[];
  nextCursor?: string;
  counts?: Record<string, number>;
  countsComplete?: boolean;
}

interface Filter {
  status: string[];
  product: string;
  client: string;
  activatedFrom: string;
  activatedTo: string;
  q: string;
}

function savedColumns(): Column[] {
  try {
    const saved = JSON.parse(localStorage.getItem("columns") ?? "null") as Column[] | null;
    if (saved && saved.every((c) => (COLUMNS as readonly string[]).includes(c)) && saved.length > 0) return saved;
  } catch {
    // a broken saved value: use the default
  }
  return DEFAULT_COLUMNS;
}

export function keysScreen(): HTMLElement {
  let filter: Filter = { status: [], product: "", client: "", activatedFrom: "", activatedTo: "", q: "" };
  let columns = savedColumns();
  let sort = "-activatedAt";
  const cursors: (string | undefined)[] = [undefined];
  let pageIndex = 0;

  const feedback = h("div", { class: "feedback" });
  const counts = h("ul", { class: "counts", "aria-label": t("keys.counts") });
  const table = h("div", { class: "table-wrap" });
  const previous = h("button", { type: "button", class: "secondary", disabled: true }, t("keys.previous"));
  const next = h("button", { type: "button", class: "secondary", disabled: true }, t("keys.next"));
  const filterPanel = h("div", { class: "panel", hidden: true, id: "filter-panel" });
  const columnsPanel = h("div", { class: "panel", hidden: true, id: "columns-panel" });
  const filterButton = h("button", { type: "button", "aria-expanded": "false", "aria-controls": "filter-panel" }, t("keys.filter"));
  const columnsButton = h("button", { type: "button", "aria-expanded": "false", "aria-controls": "columns-panel" }, t("keys.columns"));
  const exportButton = h("button", { type: "button" }, t("keys.export"));
  const sortSelect = h("select", { name: "sort" }, ...SORTS.map((s) => h("option", { value: s }, t(`sort.${s}` as TextKey))));

  function query(cursor?: string, csv = false): string {
    const params = new URLSearchParams();
    if (filter.status.length) params.set("status", filter.status.join(","));
    for (const name of ["product", "client", "activatedFrom", "activatedTo", "q"] as const) {
      if (filter[name].trim()) params.set(name, filter[name].trim());
    }
    params.set("fields", columns.join(","));
    if (sort !== "-activatedAt" && !filter.client && !filter.q) params.set("sort", sort);
    if (!csv) params.set("limit", "25");
    if (cursor) params.set("cursor", cursor);
    return "/v1/prepaid-keys?" + params.toString();
  }

  async function load(): Promise<void> {
    feedback.replaceChildren();
    table.setAttribute("aria-busy", "true");
    try {
      const page = await call<Page>(query(cursors[pageIndex]));
      render(page);
    } catch (error) {
      feedback.append(message("error", describe(error)));
    } finally {
      table.removeAttribute("aria-busy");
    }
  }

  function render(page: Page): void {
    const items = page.items ?? [];
    if (page.counts) {
      counts.replaceChildren(...STATUSES.map((s) => h("li", { class: `badge ${s.toLowerCase()}` }, `${statusText(s)}: ${page.counts?.[s] ?? 0}`)));
    }
    if (items.length === 0) {
      table.replaceChildren(h("p", { class: "empty" }, t("keys.empty")));
    } else {
      const head = h("tr", {}, ...columns.map((c) => h("th", { scope: "col" }, t(`col.${c}` as TextKey))), h("th", { scope: "col" }, t("keys.actions")));
      const rows = items.map((row) => h("tr", {}, ...columns.map((c) => h("td", { "data-label": t(`col.${c}` as TextKey), class: c === "maskedKey" ? "key" : undefined }, cell(row, c))),
        h("td", { class: "row-actions" },
          row.status === "AVAILABLE" ? h("button", { type: "button", class: "small", onclick: () => assignDialog(row, load) }, t("keys.assign")) : null,
          h("button", { type: "button", class: "small secondary", onclick: () => historyDialog(row.keyId) }, t("keys.history")))));
      table.replaceChildren(h("table", {}, h("caption", { class: "visually-hidden" }, t("keys.title")), h("thead", {}, head), h("tbody", {}, ...rows)));
    }
    cursors[pageIndex + 1] = page.nextCursor;
    next.disabled = !page.nextCursor;
    previous.disabled = pageIndex === 0;
  }

  function restart(): void {
    cursors.length = 1;
    pageIndex = 0;
    void load();
  }

  // Filtro
  const statusBoxes = STATUSES.map((s) => h("input", { type: "checkbox", value: s, id: `status-${s}` }));
  const product = h("input", { name: "product", autocomplete: "off", placeholder: "SAE-12M" });
  const client = h("input", { name: "client", autocomplete: "off" });
  const from = h("input", { name: "activatedFrom", type: "date" });
  const to = h("input", { name: "activatedTo", type: "date" });
  const q = h("input", { name: "q", autocomplete: "off", maxlength: 5 });
  const filterForm = h("form", { class: "filter" },
    h("fieldset", {}, h("legend", {}, t("filter.status")),
      ...statusBoxes.map((box) => h("span", { class: "check" }, box, h("label", { for: box.id }, statusText(box.value))))),
    field(t("filter.product"), product), field(t("filter.client"), client),
    field(t("filter.from"), from), field(t("filter.to"), to), field(t("filter.q"), q),
    h("div", { class: "actions" }, h("button", { type: "submit" }, t("keys.apply")),
      h("button", { type: "reset", class: "secondary" }, t("keys.clear"))));
  filterForm.addEventListener("submit", (event) => {
    event.preventDefault();
    filter = {
      status: statusBoxes.filter((b) => b.checked).map((b) => b.value),
      product: product.value, client: client.value, activatedFrom: from.value, activatedTo: to.value, q: q.value,
    };
    restart();
  });
  filterForm.addEventListener("reset", () => setTimeout(() => filterForm.requestSubmit(), 0));
  filterPanel.append(filterForm);

  // Columnas: remembered in this browser
  const columnBoxes = COLUMNS.map((c) => h("input", { type: "checkbox", value: c, id: `column-${c}`, checked: columns.includes(c) }));
  const columnsForm = h("form", { class: "columns" },
    h("fieldset", {}, h("legend", {}, t("keys.columns")),
      ...columnBoxes.map((box) => h("span", { class: "check" }, box, h("label", { for: box.id }, t(`col.${box.value}` as TextKey))))),
    h("div", { class: "actions" }, h("button", { type: "submit" }, t("keys.apply"))));
  columnsForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const chosen = COLUMNS.filter((c) => columnBoxes.find((b) => b.value === c)?.checked);
    columns = chosen.length ? chosen : DEFAULT_COLUMNS;
    localStorage.setItem("columns", JSON.stringify(columns));
    restart();
  });
  columnsPanel.append(columnsForm);

  for (const [button, panel] of [[filterButton, filterPanel], [columnsButton, columnsPanel]] as const) {
    button.addEventListener("click", () => {
      panel.hidden = !panel.hidden;
      button.setAttribute("aria-expanded", String(!panel.hidden));
      if (!panel.hidden) panel.querySelector<HTMLElement>("input, select")?.focus();
    });
  }
  sortSelect.addEventListener("change", () => {
    sort = sortSelect.value;
    restart();
  });
  next.addEventListener("click", () => {
    pageIndex++;
    void load();
  });
  previous.addEventListener("click", () => {
    pageIndex = Math.max(0, pageIndex - 1);
    void load();
  });
  exportButton.addEventListener("click", async () => {
    feedback.replaceChildren();
    exportButton.disabled = true;
    try {
      const file = await download(query(undefined, true));
      saveFile(file.blob, file.fileName);
    } catch (error) {
      feedback.append(message("error", describe(error)));
    } finally {
      exportButton.disabled = false;
    }
  });

  void load();
  return h("section", { "aria-labelledby": "keys-title" },
    h("h1", { id: "keys-title" }, t("keys.title")),
    h("div", { class: "toolbar" }, filterButton, columnsButton, field(t("keys.sort"), sortSelect), exportButton),
    filterPanel, columnsPanel, counts, feedback, table,
    h("div", { class: "pager" }, previous, next));
}

function cell(row: Row, column: Column): string {
  switch (column) {
    case "product":
      return row.product ? row.product.name : "";
    case "status":
      return row.status ? statusText(row.status) : "";
    case "activatedAt":
    case "assignedAt":
    case "expiresAt":
      return localTime(row[column]);
    default:
      return row[column] ?? "";
  }
}

/** "Asignar a cliente": RFC checked by the service as SAT defines it; a doubtful check digit can be confirmed. */
function assignDialog(row: Row, reload: () => Promise<void>): void {
  const rfc = h("input", { name: "rfc", autocomplete: "off", autocapitalize: "characters", maxlength: 20, required: true });
  const name = h("input", { name: "name", autocomplete: "organization", maxlength: 254, required: true });
  const confirmRfc = h("input", { type: "checkbox", id: "confirm-rfc" });
  const confirmBox = h("div", { class: "check", hidden: true }, confirmRfc, h("label", { for: "confirm-rfc" }, t("assign.confirmRfc")));
  const feedback = h("div", { class: "feedback" });
  const submit = h("button", { type: "submit" }, t("assign.submit"));
  const cancel = h("button", { type: "button", class: "secondary" }, t("confirm.cancel"));
  const idempotencyKey = newIdempotencyKey();
  const form = h("form", { method: "dialog" },
    h("p", { class: "mono" }, row.maskedKey ?? row.keyId),
    field(t("assign.rfc"), rfc), field(t("assign.name"), name), confirmBox, feedback,
    h("div", { class: "actions" }, submit, cancel));
  const dialog = openDialog(t("assign.title"), [form]);
  cancel.addEventListener("click", () => dialog.close());
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    feedback.replaceChildren();
    submit.disabled = true;
    try {
      const body: Record<string, unknown> = { client: { rfc: rfc.value, name: name.value } };
      if (confirmRfc.checked) body.confirmRfc = true;
      // A new key once the request changes (a corrected RFC is another request).
      await call(`/v1/prepaid-keys/${encodeURIComponent(row.keyId)}/assign`, { body, idempotencyKey: `${idempotencyKey}-${rfc.value}-${confirmRfc.checked}` });
      dialog.close();
      await reload();
      document.querySelector("main .feedback")?.replaceChildren(message("ok", t("assign.done", name.value)));
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === "CLIENT_RFC_CHECK_DIGIT") confirmBox.hidden = false;
      feedback.append(message("error", describe(error)));
      (code?.startsWith("CLIENT_RFC") ? rfc : submit).focus();
    } finally {
      submit.disabled = false;
    }
  });
  rfc.focus();
}

interface History {
  key: Row;
  history?: { type: string; at: string; by?: Actor; details?: Record<string, string> }[];
  confirmationEmail?: string;
}

/** Who made a history entry: a user by username; the back office, to a distributor, is only "the vendor". */
interface Actor {
  type: string;
  username?: string;
}

function actorText(by: Actor | undefined): string {
  if (!by) return "";
  return " · " + (by.type === "VENDOR" ? t("history.vendor") : by.username ?? "");
}

export async function historyDialog(keyId: string, path = `/v1/prepaid-keys/${encodeURIComponent(keyId)}`): Promise<void> {
  const body = h("div", {}, message("info", t("common.loading")));
  const close = h("button", { type: "submit" }, t("common.close"));
  openDialog(t("history.title"), [body, h("form", { method: "dialog" }, h("div", { class: "actions" }, close))]);
  close.focus();
  try {
    const found = await call<History>(path);
    body.replaceChildren(
      h("p", { class: "mono" }, `${found.key.maskedKey ?? ""} · ${found.key.status ? statusText(found.key.status) : ""}`),
      h("ol", { class: "history" }, ...(found.history ?? []).map((e) => h("li", {},
        h("strong", {}, e.type), ` ${localTime(e.at)}${actorText(e.by)}`,
        e.details ? h("small", {}, " " + Object.entries(e.details).map(([k, v]) => `${k}: ${v}`).join(", ")) : null))),
      h("p", {}, found.confirmationEmail ? t("history.email", found.confirmationEmail) : ""));
  } catch (error) {
    body.replaceChildren(message("error", describe(error)));
  }
}
