// The vendor's back office: products and licences, minting batches (the CSV of plain keys), batch
// counts and voids, one key's history, void and email resend.
import { ApiError, call, download, newIdempotencyKey } from "./api";
import { describe, field, h, message, saveFile } from "./dom";
import { statusText, t } from "./i18n";
import { historyDialog } from "./keys";

interface Product {
  sku: string;
  name: string;
  description: string;
  termMonths: number;
  license: { version: string; title: string; url: string; text: string };
}

export function productsScreen(): HTMLElement {
  const list = h("div", { class: "table-wrap" });
  const feedback = h("div", { class: "feedback" });
  const sku = h("input", { name: "sku", required: true, maxlength: 32, autocapitalize: "characters" });
  const name = h("input", { name: "name", required: true, maxlength: 120 });
  const description = h("input", { name: "description", required: true, maxlength: 500 });
  const term = h("input", { name: "termMonths", type: "number", min: 1, max: 120, value: 12, required: true });
  const version = h("input", { name: "licenseVersion", required: true, maxlength: 32 });
  const title = h("input", { name: "licenseTitle", required: true, maxlength: 200 });
  const url = h("input", { name: "licenseUrl", type: "url", required: true, maxlength: 500 });
  const text = h("textarea", { name: "licenseText", required: true, rows: 6, maxlength: 12000 });
  const form = h("form", { class: "card grid" },
    field(t("admin.sku"), sku), field(t("admin.name"), name), field(t("admin.description"), description), field(t("admin.term"), term),
    field(t("admin.licenseVersion"), version), field(t("admin.licenseTitle"), title), field(t("admin.licenseUrl"), url),
    field(t("admin.licenseText"), text), h("div", { class: "actions" }, h("button", { type: "submit" }, t("common.save"))));

  async function load(): Promise<void> {
    try {
      const products = await call<{ items?: Product[] }>("/v1/admin/products");
      list.replaceChildren(h("table", {},
        h("thead", {}, h("tr", {}, ...[t("admin.sku"), t("admin.name"), t("admin.term"), t("admin.licenseVersion")].map((c) => h("th", { scope: "col" }, c)))),
        h("tbody", {}, ...(products.items ?? []).map((p) => h("tr", {},
          h("td", { "data-label": t("admin.sku") }, h("button", { type: "button", class: "link", onclick: () => edit(p) }, p.sku)),
          h("td", { "data-label": t("admin.name") }, p.name), h("td", { "data-label": t("admin.term") }, String(p.termMonths)),
          h("td", { "data-label": t("admin.licenseVersion") }, p.license.version))))));
    } catch (error) {
      list.replaceChildren(message("error", describe(error)));
    }
  }

  function edit(p: Product): void {
    sku.value = p.sku;
    name.value = p.name;
    description.value = p.description;
    term.value = String(p.termMonths);
    version.value = p.license.version;
    title.value = p.license.title;
    url.value = p.license.url;
    text.value = p.license.text;
    name.focus();
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    feedback.replaceChildren();
    try {
      await call(`/v1/admin/products/${encodeURIComponent(sku.value.trim())}`, {
        method: "PUT",
        idempotencyKey: newIdempotencyKey(),
        body: {
          name: name.value, description: description.value, termMonths: Number(term.value),
          license: { version: version.value, title: title.value, url: url.value, text: text.value },
        },
      });
      feedback.append(message("ok", t("admin.productSaved")));
      await load();
    } catch (error) {
      feedback.append(message("error", describe(error)));
    }
  });
  void load();
  return h("section", { "aria-labelledby": "products-title" }, h("h1", { id: "products-title" }, t("admin.products")), list, form, feedback);
}

export function batchesScreen(): HTMLElement {
  const feedback = h("div", { class: "feedback" });
  const product = h("input", { name: "productSku", required: true, value: "SAE-12M", maxlength: 32 });
  const quantity = h("input", { name: "quantity", type: "number", min: 1, max: 5000, value: 10, required: true });
  const expires = h("input", { name: "expiresAt", type: "date" });
  const note = h("input", { name: "note", maxlength: 500 });
  const mint = h("form", { class: "card grid" }, h("h2", {}, t("admin.mint")),
    field(t("admin.sku"), product), field(t("admin.quantity"), quantity), field(t("admin.expiresAt"), expires), field(t("admin.note"), note),
    h("div", { class: "actions" }, h("button", { type: "submit" }, t("admin.mintSubmit"))));
  mint.addEventListener("submit", async (event) => {
    event.preventDefault();
    feedback.replaceChildren();
    try {
      const body: Record<string, unknown> = { productSku: product.value.trim(), quantity: Number(quantity.value) };
      if (expires.value) body.expiresAt = new Date(`${expires.value}T23:59:59-06:00`).toISOString();
      if (note.value.trim()) body.note = note.value.trim();
      // One key for the whole mint: a BATCH_INCOMPLETE answer is finished by the same request again, never a second batch.
      const idempotencyKey = newIdempotencyKey();
      let file: { blob: Blob; fileName: string } | undefined;
      for (let attempt = 0; !file; attempt++) {
        try {
          file = await download("/v1/admin/key-batches", { body, idempotencyKey });
        } catch (error) {
          if (!(error instanceof ApiError) || error.code !== "BATCH_INCOMPLETE" || attempt >= 20) throw error;
          feedback.replaceChildren(message("ok", t("admin.minting", Number(error.body.written), Number(error.body.quantity))));
        }
      }
      saveFile(file.blob, file.fileName);
      const batchId = /batch-([0-9a-z]+)\.csv/.exec(file.fileName)?.[1] ?? "";
      batchId && (lookupId.value = batchId);
      feedback.append(message("ok", t("admin.minted", batchId, Number(quantity.value))));
    } catch (error) {
      feedback.append(message("error", describe(error)));
    }
  });

  const lookupId = h("input", { name: "batchId", required: true, maxlength: 16 });
  const counts = h("div", {});
  const reason = h("input", { name: "reason", maxlength: 500 });
  const lookup = h("form", { class: "card grid" }, h("h2", {}, t("admin.batchLookup")), field(t("admin.batchId"), lookupId),
    h("div", { class: "actions" }, h("button", { type: "submit" }, t("admin.lookup"))), counts,
    field(t("admin.reason"), reason), h("div", { class: "actions" }, h("button", { type: "button", class: "danger", onclick: () => voidBatch() }, t("admin.voidBatch"))));

  async function showBatch(): Promise<void> {
    const batch = await call<{ batchId: string; product: { name: string }; quantity: number; counts?: Record<string, number>; note?: string }>(
      `/v1/admin/key-batches/${encodeURIComponent(lookupId.value.trim())}`);
    counts.replaceChildren(h("p", {}, `${batch.batchId} · ${batch.product.name} · ${batch.quantity}${batch.note ? " · " + batch.note : ""}`),
      h("ul", { class: "counts" }, ...Object.entries(batch.counts ?? {}).map(([s, n]) => h("li", { class: `badge ${s.toLowerCase()}` }, `${statusText(s)}: ${n}`))));
  }

  lookup.addEventListener("submit", async (event) => {
    event.preventDefault();
    feedback.replaceChildren();
    try {
      await showBatch();
    } catch (error) {
      feedback.append(message("error", describe(error)));
    }
  });

  async function voidBatch(): Promise<void> {
    feedback.replaceChildren();
    try {
      const voided = await call<{ voided: number; alreadyVoid: number; used: number }>(
        `/v1/admin/key-batches/${encodeURIComponent(lookupId.value.trim())}/void`, { body: { reason: reason.value }, idempotencyKey: newIdempotencyKey() });
      feedback.append(message("ok", t("admin.voided", voided.voided, voided.alreadyVoid, voided.used)));
      await showBatch();
    } catch (error) {
      feedback.append(message("error", describe(error)));
    }
  }
  return h("section", { "aria-labelledby": "batches-title" }, h("h1", { id: "batches-title" }, t("menu.batches")), feedback, mint, lookup);
}

export function adminKeyScreen(): HTMLElement {
  const feedback = h("div", { class: "feedback" });
  const keyId = h("input", { name: "keyId", required: true, maxlength: 26, autocomplete: "off" });
  const reason = h("input", { name: "reason", maxlength: 500 });
  // A held email went to no one because its address was unverified: releasing it is the admin's checked word.
  const addressVerified = h("input", { type: "checkbox", name: "addressVerified", id: "address-verified" });
  const form = h("form", { class: "card grid" }, field(t("admin.keyId"), keyId),
    h("div", { class: "actions" },
      h("button", { type: "submit" }, t("keys.history")),
      h("button", { type: "button", class: "secondary", onclick: () => resend() }, t("admin.resend"))),
    h("div", { class: "check" }, addressVerified, h("label", { for: "address-verified" }, t("admin.addressVerified"))),
    field(t("admin.reason"), reason),
    h("div", { class: "actions" }, h("button", { type: "button", class: "danger", onclick: () => voidKey() }, t("admin.voidKey"))));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void historyDialog(keyId.value.trim(), `/v1/admin/prepaid-keys/${encodeURIComponent(keyId.value.trim())}`);
  });

  async function voidKey(): Promise<void> {
    feedback.replaceChildren();
    try {
      await call(`/v1/admin/prepaid-keys/${encodeURIComponent(keyId.value.trim())}/void`, { body: { reason: reason.value }, idempotencyKey: newIdempotencyKey() });
      feedback.append(message("ok", t("admin.keyVoided")));
    } catch (error) {
      feedback.append(message("error", describe(error)));
    }
  }

  async function resend(): Promise<void> {
    feedback.replaceChildren();
    try {
      const answer = await call<{ emailState: string }>(`/v1/admin/prepaid-keys/${encodeURIComponent(keyId.value.trim())}/resend-email`,
        { method: "POST", body: addressVerified.checked ? { addressVerified: true } : undefined, idempotencyKey: newIdempotencyKey() });
      feedback.append(message("ok", t("admin.resent", answer.emailState)));
    } catch (error) {
      feedback.append(message("error", describe(error)));
    }
  }
  return h("section", { "aria-labelledby": "admin-key-title" }, h("h1", { id: "admin-key-title" }, t("menu.adminKey")), form, feedback);
}
