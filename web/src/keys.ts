// "Claves prepago" (walkthrough figure 5): the distributor's keys, Filtro, Columnas, order, pages,
// counts by status, CSV export; per key, "Asignar a cliente" and its history.
import { call, download, newIdempotencyKey } from "./api";
import { field, h, localTime, message, openDialog, saveFile } from "./dom";
import { known, statusText, t, type TextKey } from "./i18n";
import { describe } from "./problems";

const COLUMNS = ["maskedKey", "product", "status", "clientRfc", "clientName", "activatedAt", "activatedBy", "assignedAt", "expiresAt"] as const;
type Column = (typeof COLUMNS)[number];
const DEFAULT_COLUMNS: Column[] = ["maskedKey", "product", "status", "clientName", "clientRfc", "activatedAt"];
const STATUSES = ["AVAILABLE", "USED", "EXPIRED", "VOID"];
const SORTS = ["-activatedAt", "activatedAt", "expiresAt", "-expiresAt"];
/** An RFC's shape, as the list reads its client filter (ListParameters): anything else is the start of a name. */
const RFC = /^[A-ZÑ&]{3,4}[0-9]{6}[A-Z0-9]{3}$/;

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

/** How the API orders a filter by itself: by the client's name, or by the key's end; with an RFC, by activation only. */
function fixedOrder(filter: Filter): "name" | "suffix" | "rfc" | null {
  const client = filter.client.trim();
  const rfc = RFC.test(client.replace(/[\s.-]/g, "").toUpperCase());
  if (client && !rfc) return "name";
  if (filter.q.trim() && !client) return "suffix";
  return rfc ? "rfc" : null;
}

/** @param keyId a key to show (the email's link, #/claves/<keyId>): the list opens filtered to it */
export function keysScreen(keyId: string | null = null): HTMLElement {
  let filter: Filter = { status: [], product: "", client: "", activatedFrom: "", activatedTo: "", q: "" };
  let columns = savedColumns();
  let sort = "-activatedAt";
  let highlighted: string | null = null;
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
  const sortSelect = h("select", { name: "sort", id: "sort", "aria-describedby": "sort-note" },
    ...SORTS.map((s) => h("option", { value: s }, t(`sort.${s}` as TextKey))));
  const sortNote = h("small", { id: "sort-note", class: "note" });
  const linkNote = h("div", {});

  function query(cursor?: string, csv = false): string {
    const params = new URLSearchParams();
    if (filter.status.length) params.set("status", filter.status.join(","));
    for (const name of ["product", "client", "activatedFrom", "activatedTo", "q"] as const) {
      if (filter[name].trim()) params.set(name, filter[name].trim());
    }
    params.set("fields", columns.join(","));
    const order = fixedOrder(filter);
    // The API refuses an order it cannot serve: the control says so instead (updateSort).
    if (sort !== "-activatedAt" && order !== "name" && order !== "suffix") params.set("sort", sort);
    if (!csv) params.set("limit", "25");
    if (cursor) params.set("cursor", cursor);
    return "/v1/prepaid-keys?" + params.toString();
  }

  /** The order control as the filter allows it: fixed (and saying why) with a name or a key end, activation only with an RFC. */
  function updateSort(): void {
    const order = fixedOrder(filter);
    sortSelect.disabled = order === "name" || order === "suffix";
    for (const option of sortSelect.options) option.disabled = order === "rfc" && option.value.includes("expiresAt");
    if (order === "rfc" && sort.includes("expiresAt")) sort = "-activatedAt";
    sortSelect.value = sort;
    sortNote.textContent = order === "name" ? t("keys.sortByName") : order === "suffix" ? t("keys.sortBySuffix")
      : order === "rfc" ? t("keys.sortByRfc") : "";
  }

  async function load(): Promise<void> {
    feedback.replaceChildren();
    table.setAttribute("aria-busy", "true");
    try {
      const page = await call<Page>(query(cursors[pageIndex]));
      render(page);
    } catch (error) {
      // Nothing of the previous answer stays under a refusal: it would read as this filter's rows.
      table.replaceChildren();
      counts.replaceChildren();
      next.disabled = true;
      previous.disabled = pageIndex === 0;
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
    // Counts cover every status of the same filter: with none but a status filter, all zero means an empty account.
    const onlyStatus = Object.entries(filter).every(([name, value]) => name === "status" || value.trim() === "");
    const accountEmpty = pageIndex === 0 && onlyStatus && page.counts && STATUSES.every((s) => !page.counts?.[s]);
    if (items.length === 0) {
      table.replaceChildren(accountEmpty
        ? h("p", { class: "empty" }, t("keys.none"), " ", h("a", { href: "#/activar" }, t("menu.activate")))
        : h("p", { class: "empty" }, t("keys.empty")));
    } else {
      const head = h("tr", {}, ...columns.map((c) => h("th", { scope: "col" }, t(`col.${c}` as TextKey))),
        h("th", { scope: "col", class: "row-actions" }, t("keys.actions")));
      const rows = items.map((row) => h("tr", { class: row.keyId === highlighted ? "highlight" : undefined },
        ...columns.map((c) => h("td", { "data-label": t(`col.${c}` as TextKey), class: c === "maskedKey" ? "key" : undefined }, cell(row, c))),
        h("td", { class: "row-actions" },
          row.status === "AVAILABLE" ? h("button", { type: "button", class: "small", onclick: () => assignDialog(row, assigned) }, t("keys.assign")) : null,
          h("button", { type: "button", class: "small secondary", onclick: () => historyDialog(row.keyId) }, t("keys.history")))));
      table.replaceChildren(h("table", {}, h("caption", { class: "visually-hidden" }, t("keys.title")), h("thead", {}, head), h("tbody", {}, ...rows)));
    }
    cursors[pageIndex + 1] = page.nextCursor;
    next.disabled = !page.nextCursor;
    previous.disabled = pageIndex === 0;
  }

  async function assigned(clientName: string): Promise<void> {
    await load();
    const done = message("ok", t("assign.done", clientName));
    done.tabIndex = -1;
    feedback.replaceChildren(done);
    // The row's button went with the reload: the focus goes to what happened (keyboards, screen readers).
    done.focus();
  }

  function restart(): void {
    cursors.length = 1;
    pageIndex = 0;
    updateSort();
    void load();
  }

  // Filtro
  const statusBoxes = STATUSES.map((s) => h("input", { type: "checkbox", value: s, id: `status-${s}` }));
  const product = h("input", { name: "product", autocomplete: "off", placeholder: "SAE-12M", autocapitalize: "characters" });
  const client = h("input", { name: "client", autocomplete: "off" });
  const from = h("input", { name: "activatedFrom", type: "date" });
  const to = h("input", { name: "activatedTo", type: "date" });
  const q = h("input", { name: "q", autocomplete: "off", maxlength: 5 });
  const filterFeedback = h("div", { class: "feedback" });
  const filterForm = h("form", { class: "filter" },
    h("fieldset", {}, h("legend", {}, t("filter.status")),
      ...statusBoxes.map((box) => h("span", { class: "check" }, box, h("label", { for: box.id }, statusText(box.value))))),
    field(t("filter.product"), product), field(t("filter.client"), client),
    field(t("filter.from"), from), field(t("filter.to"), to), field(t("filter.q"), q), filterFeedback,
    h("div", { class: "actions" }, h("button", { type: "submit" }, t("keys.apply")),
      h("button", { type: "reset", class: "secondary" }, t("keys.clear"))));
  filterForm.addEventListener("submit", (event) => {
    event.preventDefault();
    filterFeedback.replaceChildren();
    if (from.value && to.value && from.value > to.value) {
      filterFeedback.append(message("error", t("filter.dateRange")));
      from.focus();
      return;
    }
    // SKUs are upper case, as keys are typed in any case: "coi-12m" is COI-12M.
    product.value = product.value.trim().toUpperCase();
    filter = {
      status: statusBoxes.filter((b) => b.checked).map((b) => b.value),
      product: product.value, client: client.value, activatedFrom: from.value, activatedTo: to.value, q: q.value,
    };
    highlighted = null;
    linkNote.replaceChildren();
    restart();
  });
  filterForm.addEventListener("reset", () => setTimeout(() => filterForm.requestSubmit(), 0));
  filterPanel.append(filterForm);

  // Columnas: remembered in this browser; the boxes always show the columns in use.
  const columnBoxes = COLUMNS.map((c) => h("input", { type: "checkbox", value: c, id: `column-${c}`, checked: columns.includes(c) }));
  const columnsFeedback = h("div", { class: "feedback" });
  const columnsForm = h("form", { class: "columns" },
    h("fieldset", {}, h("legend", {}, t("keys.columns")),
      ...columnBoxes.map((box) => h("span", { class: "check" }, box, h("label", { for: box.id }, t(`col.${box.value}` as TextKey))))),
    columnsFeedback,
    h("div", { class: "actions" }, h("button", { type: "submit" }, t("keys.apply"))));
  columnsForm.addEventListener("submit", (event) => {
    event.preventDefault();
    columnsFeedback.replaceChildren();
    const chosen = COLUMNS.filter((c) => columnBoxes.find((b) => b.value === c)?.checked);
    if (chosen.length === 0) {
      columnsFeedback.append(message("error", t("keys.columnsNone")));
      columnBoxes[0].focus();
      return;
    }
    columns = chosen;
    localStorage.setItem("columns", JSON.stringify(columns));
    restart();
  });
  columnsPanel.append(columnsForm);

  for (const [button, panel] of [[filterButton, filterPanel], [columnsButton, columnsPanel]] as const) {
    button.addEventListener("click", () => {
      panel.hidden = !panel.hidden;
      button.setAttribute("aria-expanded", String(!panel.hidden));
      if (!panel.hidden) panel.querySelector<HTMLElement>("input, select")?.focus();
      // Closing the columns panel unapplied puts the boxes back as the table is.
      if (panel === columnsPanel && panel.hidden) {
        for (const box of columnBoxes) box.checked = columns.includes(box.value as Column);
        columnsFeedback.replaceChildren();
      }
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

  /** The email's link: the list narrowed to the key's end, its row marked. */
  async function showLinkedKey(id: string): Promise<void> {
    try {
      const found = await call<History>(`/v1/prepaid-keys/${encodeURIComponent(id)}`);
      const masked = found.key.maskedKey ?? "";
      filter = { ...filter, q: masked.slice(-5) };
      q.value = filter.q;
      highlighted = found.key.keyId;
      const showAll = h("button", { type: "button", class: "link" }, t("keys.showAll"));
      showAll.addEventListener("click", () => {
        location.hash = "#/claves";
      });
      linkNote.replaceChildren(h("p", { class: "message info" }, t("keys.fromLink", masked), " ", showAll));
    } catch {
      linkNote.replaceChildren(message("error", t("keys.linkNotFound")));
    }
    restart();
  }

  if (keyId) void showLinkedKey(keyId);
  else restart();
  return h("section", { "aria-labelledby": "keys-title" },
    h("h1", { id: "keys-title" }, t("keys.title")),
    linkNote,
    h("div", { class: "toolbar" }, filterButton, columnsButton,
      h("div", { class: "field sort" }, h("label", { for: "sort" }, t("keys.sort")), sortSelect, sortNote),
      exportButton),
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

/**
 * "Asignar a cliente": RFC and name, then a last look that says the assignment is final, then the
 * service checks the RFC as SAT defines it (a doubtful check digit can be confirmed).
 */
function assignDialog(row: Row, assigned: (clientName: string) => Promise<void>): void {
  const rfc = h("input", { name: "rfc", autocomplete: "off", autocapitalize: "characters", maxlength: 20, required: true });
  const name = h("input", { name: "name", autocomplete: "organization", maxlength: 254, required: true });
  const confirmRfc = h("input", { type: "checkbox", id: "confirm-rfc" });
  const confirmBox = h("div", { class: "check", hidden: true }, confirmRfc, h("label", { for: "confirm-rfc" }, t("assign.confirmRfc")));
  const feedback = h("div", { class: "feedback" });
  const submit = h("button", { type: "submit" }, t("assign.submit"));
  const correct = h("button", { type: "button", class: "secondary", hidden: true }, t("assign.edit"));
  const cancel = h("button", { type: "button", class: "secondary" }, t("confirm.cancel"));
  const editing = h("div", {}, field(t("assign.rfc"), rfc), field(t("assign.name"), name), confirmBox);
  const review = h("div", { hidden: true });
  let idempotencyKey = newIdempotencyKey();
  let lastRequest = "";
  const form = h("form", { method: "dialog" },
    h("p", { class: "mono" }, row.maskedKey ?? ""), editing, review, feedback,
    h("div", { class: "actions" }, submit, correct, cancel));
  const dialog = openDialog(t("assign.title"), [form]);
  cancel.addEventListener("click", () => dialog.close());

  function edit(focus: HTMLElement): void {
    review.hidden = true;
    correct.hidden = true;
    editing.hidden = false;
    submit.textContent = t("assign.submit");
    focus.focus();
  }
  correct.addEventListener("click", () => edit(rfc));

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    feedback.replaceChildren();
    if (review.hidden) {
      if (!form.reportValidity()) return;
      // The last look: what will be recorded, and that it is final.
      const clientRfc = rfc.value.replace(/[\s-]/g, "").toUpperCase();
      review.replaceChildren(h("p", {}, h("strong", {}, t("assign.review", row.maskedKey ?? "", name.value.trim(), clientRfc))),
        h("p", { class: "message warning" }, t("assign.final")));
      editing.hidden = true;
      review.hidden = false;
      correct.hidden = false;
      submit.textContent = t("assign.yes");
      submit.focus();
      return;
    }
    submit.disabled = true;
    try {
      const body: Record<string, unknown> = { client: { rfc: rfc.value, name: name.value } };
      if (confirmRfc.checked) body.confirmRfc = true;
      // The same request again (a retry) keeps its key; a corrected one is another request.
      if (JSON.stringify(body) !== lastRequest) idempotencyKey = newIdempotencyKey();
      lastRequest = JSON.stringify(body);
      await call(`/v1/prepaid-keys/${encodeURIComponent(row.keyId)}/assign`, { body, idempotencyKey });
      dialog.close();
      await assigned(name.value.trim());
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === "CLIENT_RFC_CHECK_DIGIT") confirmBox.hidden = false;
      edit(code?.startsWith("CLIENT_RFC") ? rfc : code === "REQUEST_INVALID" ? name : submit);
      feedback.append(message("error", describe(error)));
    } finally {
      submit.disabled = false;
    }
  });
  rfc.focus();
}

interface History {
  key: Row & { batchId?: string; distributorId?: string };
  history?: { type: string; at: string; by?: Actor; details?: Record<string, string> }[];
  confirmationEmail?: string;
}

/** Who made a history entry: a user by username; the back office, to a distributor, is only "the vendor". */
interface Actor {
  type: string;
  username?: string;
}

/** One entry in words: what happened, when, who, and the facts a person needs (no internal ids for distributors). */
function entry(e: NonNullable<History["history"]>[number], backOffice: boolean): HTMLElement {
  const d = e.details ?? {};
  const who = !e.by ? "" : e.by.type === "VENDOR" ? t("history.vendor") : e.by.username ?? "";
  const facts = [
    d.licenseVersion ? t("history.license", d.licenseVersion) : null,
    d.clientName ? t("history.client", d.clientName, d.clientRfc ?? "") : null,
    d.rfcCheckDigitOverridden === "true" ? t("history.rfcOverride") : null,
    e.type === "EMAIL_HELD" ? t("history.heldReason") : d.reason ? t("history.reason", d.reason) : null,
    d.previousStatus ? t("history.before", statusText(d.previousStatus)) : null,
    backOffice && d.batchId ? t("history.batch", d.batchId) : null,
    backOffice && d.note ? t("history.note", d.note) : null,
    backOffice && d.distributorId ? t("history.distributor", d.distributorId) : null,
    backOffice && d.sourceIp ? t("history.from", d.sourceIp) : null,
  ].filter(Boolean);
  return h("li", {},
    h("strong", {}, known(`event.${e.type}`) ?? e.type), ` · ${localTime(e.at)}${who ? " · " + who : ""}`,
    facts.length ? h("div", { class: "facts" }, facts.join(" ")) : null);
}

/** A key's history, in the reader's language: the distributor's view, or the back office's ({@code backOffice}). */
export async function historyDialog(keyId: string, backOffice = false): Promise<void> {
  const path = backOffice ? `/v1/admin/prepaid-keys/${encodeURIComponent(keyId)}` : `/v1/prepaid-keys/${encodeURIComponent(keyId)}`;
  const body = h("div", {}, message("info", t("common.loading")));
  const close = h("button", { type: "submit" }, t("common.close"));
  openDialog(t("history.title"), [body, h("form", { method: "dialog" }, h("div", { class: "actions" }, close))]);
  close.focus();
  try {
    const found = await call<History>(path);
    const email = found.confirmationEmail ? known(`emailState.${found.confirmationEmail}`) : null;
    body.replaceChildren(
      h("p", { class: "mono" }, `${found.key.maskedKey ?? ""} · ${found.key.status ? statusText(found.key.status) : ""}`),
      h("ol", { class: "history" }, ...(found.history ?? []).map((e) => entry(e, backOffice))),
      email ? h("p", {}, t("history.email", email)) : "");
  } catch (error) {
    body.replaceChildren(message("error", describe(error)));
  }
}
