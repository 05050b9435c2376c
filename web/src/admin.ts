// The vendor's back office: products and licences, minting batches (the CSV of plain keys), batch
// counts and voids, one key's history, void and email resend.
import { ApiError, call, download, newIdempotencyKey } from "./api";
import { ask, field, h, message, saveFile } from "./dom";
import { known, statusText, t, type TextKey } from "./i18n";
import { historyDialog } from "./keys";
import { describe } from "./problems";

/**
 * What the catalogue takes from the desk. The API's rules let through an SKU "00", a licence
 * version "s" or a title "0", which then read as nonsense in every distributor's confirm window;
 * the back office is held to what people can read. (The API's own rules are the back-office issue's.)
 */
const PRODUCT_CHECKS: [string, (value: string) => boolean, TextKey][] = [
  ["sku", (v) => /^(?=.*[A-Z])[A-Z0-9][A-Z0-9-]{2,31}$/.test(v), "admin.check.sku"],
  ["name", (v) => v.length >= 3 && /\p{L}/u.test(v), "admin.check.name"],
  ["description", (v) => v.length >= 5 && /\p{L}/u.test(v), "admin.check.description"],
  ["licenseVersion", (v) => /^[0-9][0-9A-Za-z.-]{0,31}$/.test(v), "admin.check.version"],
  ["licenseTitle", (v) => v.length >= 5 && /\p{L}{2}/u.test(v), "admin.check.title"],
  ["licenseUrl", (v) => /^https:\/\/[^\s/]+\.[^\s]+$/.test(v), "admin.check.url"],
  ["licenseText", (v) => v.length >= 20, "admin.check.text"],
];

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
    sku.value = sku.value.trim().toUpperCase();
    const problems = PRODUCT_CHECKS.filter(([name, ok]) => {
      const control = form.elements.namedItem(name) as HTMLInputElement;
      const bad = !ok(control.value.trim());
      control.toggleAttribute("aria-invalid", bad);
      return bad;
    });
    if (problems.length) {
      feedback.append(message("error", problems.map(([, , text]) => t(text)).join(" ")));
      (form.elements.namedItem(problems[0][0]) as HTMLElement).focus();
      return;
    }
    try {
      await call(`/v1/admin/products/${encodeURIComponent(sku.value)}`, {
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

/** @param batchId a batch to show at once (#/admin/lotes/<batchId>: a row of the batch list) */
export function batchesScreen(batchId: string | null = null): HTMLElement {
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
    const id = await askToVoid(lookupId, reason, feedback, "admin.voidBatchQuestion", "admin.voidBatchEffect", "admin.voidBatch");
    if (!id) return;
    try {
      const voided = await call<{ voided: number; alreadyVoid: number; used: number }>(
        `/v1/admin/key-batches/${encodeURIComponent(id)}/void`, { body: { reason: reason.value }, idempotencyKey: newIdempotencyKey() });
      feedback.append(message("ok", t("admin.voided", voided.voided, voided.alreadyVoid, voided.used)));
      await showBatch();
    } catch (error) {
      feedback.append(message("error", describe(error)));
    }
  }
  if (batchId) {
    lookupId.value = batchId;
    showBatch().catch((error) => feedback.append(message("error", describe(error))));
  }
  return h("section", { "aria-labelledby": "batches-title" }, h("h1", { id: "batches-title" }, t("menu.batches")), feedback, mint, lookup);
}

/** @param id a key to act on (#/admin/clave/<keyId>: a row of "Buscar una clave") */
export function adminKeyScreen(id: string | null = null): HTMLElement {
  const feedback = h("div", { class: "feedback" });
  const keyId = h("input", { name: "keyId", required: true, maxlength: 26, autocomplete: "off", value: id ?? undefined });
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
    void historyDialog(keyId.value.trim(), true);
  });

  async function voidKey(): Promise<void> {
    const id = await askToVoid(keyId, reason, feedback, "admin.voidKeyQuestion", "admin.voidKeyEffect", "admin.voidKey");
    if (!id) return;
    try {
      await call(`/v1/admin/prepaid-keys/${encodeURIComponent(id)}/void`, { body: { reason: reason.value }, idempotencyKey: newIdempotencyKey() });
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
      feedback.append(message("ok", t("admin.resent", known(`emailState.${answer.emailState}`) ?? answer.emailState)));
    } catch (error) {
      feedback.append(message("error", describe(error)));
    }
  }
  return h("section", { "aria-labelledby": "admin-key-title" }, h("h1", { id: "admin-key-title" }, t("menu.adminKey")), form, feedback);
}

/**
 * A void is asked first (it cannot be undone): the id and a reason are needed, then the question;
 * the id when the answer is yes, else null with what was missing said and focused.
 */
async function askToVoid(idField: HTMLInputElement, reason: HTMLInputElement, feedback: HTMLElement,
    question: TextKey, effect: TextKey, action: TextKey): Promise<string | null> {
  feedback.replaceChildren();
  const id = idField.value.trim();
  if (!id || !reason.value.trim()) {
    feedback.append(message("error", t(!id ? "admin.idNeeded" : "admin.reasonNeeded")));
    (!id ? idField : reason).focus();
    return null;
  }
  return (await ask(t(question, id), t(effect), t(action))) ? id : null;
}
