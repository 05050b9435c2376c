// "Lista de lotes": the batches, newest first, a page at a time: product, who minted each and when,
// its keys counted by status. A batch opens in "Lotes de claves" (its counts and its void); its keys
// in "Buscar una clave".
import { call } from "./api";
import { h, localTime, message } from "./dom";
import { findLink } from "./find";
import { t, type TextKey } from "./i18n";
import { describe } from "./problems";

const STATUSES = ["ISSUED", "AVAILABLE", "USED", "EXPIRED", "VOID"];

interface Batch {
  batchId: string;
  product: { sku: string; name: string };
  quantity: number;
  createdAt: string;
  createdBy: string;
  note?: string;
  counts: Record<string, number>;
}

interface BatchPage {
  items?: Batch[];
  nextCursor?: string;
}

export function batchListScreen(): HTMLElement {
  const feedback = h("div", { class: "feedback" });
  const results = h("div", { class: "table-wrap" });
  const rows = h("tbody", {});
  const more = h("button", { type: "button", class: "secondary", hidden: true }, t("batchList.more"));
  let cursor: string | undefined;
  let shown = 0;
  const columns: [TextKey, string?][] = [["batchList.batch"], ["batchList.product"], ["batchList.created"],
    ["batchList.quantity", "number"], ...STATUSES.map((s): [TextKey, string] => [`count.${s}` as TextKey, "number"])];

  async function load(paging: boolean): Promise<void> {
    feedback.replaceChildren();
    results.setAttribute("aria-busy", "true");
    more.disabled = true;
    try {
      const page = await call<BatchPage>(`/v1/admin/key-batches?limit=10${cursor ? "&cursor=" + encodeURIComponent(cursor) : ""}`);
      const added = (page.items ?? []).map(row);
      rows.append(...added);
      shown += added.length;
      cursor = page.nextCursor;
      more.hidden = !cursor;
      if (shown === 0) results.replaceChildren(h("p", { class: "empty" }, t("batchList.none"), " ", h("a", { href: "#/admin/lotes" }, t("admin.mint"))));
      // "Más lotes" pressed: the focus goes to the first batch it brought.
      if (paging) (added[0]?.querySelector("a") ?? more).focus();
    } catch (error) {
      feedback.append(message("error", describe(error)));
    } finally {
      results.removeAttribute("aria-busy");
      more.disabled = false;
    }
  }

  function row(batch: Batch): HTMLTableRowElement {
    // The batch and its keys in one cell: every count stays in view at 1280 px without a column of buttons.
    const values: (Node | string)[] = [
      h("span", { class: "batch" }, h("a", { href: `#/admin/lotes/${encodeURIComponent(batch.batchId)}`, class: "mono" }, batch.batchId),
        h("a", { href: findLink({ batchId: batch.batchId }), class: "keys-link" },
          t("batchList.keys"), h("span", { class: "visually-hidden" }, t("batchList.keysOf", batch.batchId)))),
      batch.product.name,
      h("span", { class: "created" }, localTime(batch.createdAt), h("small", {}, t("batchList.by", batch.createdBy))),
      String(batch.quantity),
      ...STATUSES.map((s) => String(batch.counts?.[s] ?? 0)),
    ];
    return h("tr", {}, ...values.map((value, i) => h("td", { "data-label": t(columns[i][0]), class: columns[i][1] }, value)));
  }

  results.append(h("table", {}, h("caption", { class: "visually-hidden" }, t("batchList.caption")),
    h("thead", {}, h("tr", {}, ...columns.map(([label, kind]) => h("th", { scope: "col", class: kind }, t(label))))),
    rows));
  more.addEventListener("click", () => void load(true));
  void load(false);
  return h("section", { "aria-labelledby": "batch-list-title" }, h("h1", { id: "batch-list-title" }, t("menu.batchList")),
    h("p", { class: "hint" }, t("batchList.intro")), feedback, results, h("div", { class: "pager" }, more));
}
