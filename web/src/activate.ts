// "Mis servicios > Activar claves de producto prepago" (walkthrough figures 2, 3 and 4): type the
// key, see what it is, accept the licence, confirm, read the notice.
import { call, newIdempotencyKey } from "./api";
import { describe, field, h, localTime, message, openDialog } from "./dom";
import { t } from "./i18n";
import { readKey } from "./key";

interface Captured {
  maskedKey: string;
  product: { sku: string; name: string; description?: string; termMonths: number };
  license: { version: string; title: string; url?: string; text: string };
  expiresAt?: string;
}

interface Confirmed {
  keyId: string;
  maskedKey: string;
  status: string;
  notice: string;
  /** HELD: no email was sent, the user's address is not verified (the notice says so and asks to verify it). */
  confirmationEmail?: string;
}

export function activateScreen(): HTMLElement {
  const input = h("input", {
    name: "key",
    autocomplete: "off",
    autocapitalize: "characters",
    spellcheck: "false",
    inputmode: "text",
    maxlength: 40,
    placeholder: "XXXXX-XXXXX-XXXXX-XXXXX-XXXXX",
    class: "key-input",
  });
  const state = h("p", { class: "key-state", "aria-live": "polite" });
  const submit = h("button", { type: "submit", disabled: true }, t("activate.submit"));
  const feedback = h("div", { class: "feedback" });

  input.addEventListener("input", () => {
    const typed = readKey(input.value);
    const caret = input.selectionStart === input.value.length;
    input.value = typed.formatted;
    if (caret) input.setSelectionRange(input.value.length, input.value.length);
    submit.disabled = !typed.complete;
    state.className = "key-state " + (typed.complete ? "ok" : typed.checkFailed ? "error" : "");
    state.textContent = typed.complete ? t("activate.valid")
      : typed.checkFailed ? t("activate.checkFailed")
      : typed.invalidCharacter ? t("activate.invalidChar", typed.invalidCharacter)
      : typed.length > 0 ? t("activate.incomplete", 25 - typed.length) : "";
  });

  const form = h("form", { class: "card", novalidate: true },
    field(t("activate.label"), input, t("activate.help")),
    state,
    h("div", { class: "actions" }, submit),
    feedback);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const key = input.value;
    feedback.replaceChildren();
    submit.disabled = true;
    try {
      const captured = await call<Captured>("/v1/prepaid-keys/capture", { body: { key } });
      confirmDialog(key, captured, (notice, emailHeld) => {
        input.value = "";
        input.dispatchEvent(new Event("input"));
        // Figure 4; once it is accepted, the next key can be typed right away.
        noticeDialog(notice, emailHeld, () => input.focus());
      });
    } catch (error) {
      feedback.append(message("error", describe(error)));
    } finally {
      submit.disabled = !readKey(input.value).complete;
    }
  });
  return h("section", { "aria-labelledby": "activate-title" }, h("h1", { id: "activate-title" }, t("activate.title")), form);
}

/** Figure 3: the key, its product and licence; "Acepto la licencia de uso"; Confirmar. */
function confirmDialog(key: string, captured: Captured, onActivated: (notice: string, emailHeld: boolean) => void): void {
  const accept = h("input", { type: "checkbox", id: "accept-license", name: "acceptLicense" });
  const feedback = h("div", { class: "feedback" });
  const confirm = h("button", { type: "submit" }, t("confirm.submit"));
  const cancel = h("button", { type: "button", class: "secondary" }, t("confirm.cancel"));
  // One key per opening of the window: a double click or a network retry confirms once.
  const idempotencyKey = newIdempotencyKey();
  const form = h("form", { method: "dialog", class: "confirm" },
    h("dl", {},
      h("dt", {}, t("confirm.key")), h("dd", { class: "mono" }, captured.maskedKey),
      h("dt", {}, t("confirm.product")), h("dd", {}, `${captured.product.name} (${captured.product.sku})`),
      captured.expiresAt ? h("dt", {}, t("confirm.expires")) : null,
      captured.expiresAt ? h("dd", {}, localTime(captured.expiresAt)) : null),
    h("h3", {}, `${t("confirm.license")}: ${captured.license.title} (${captured.license.version})`),
    h("div", { class: "license", tabindex: 0, role: "document", "aria-label": captured.license.title }, captured.license.text),
    h("div", { class: "check" }, accept, h("label", { for: "accept-license" }, t("confirm.accept"))),
    feedback,
    h("div", { class: "actions" }, confirm, cancel));
  const dialog = openDialog(t("confirm.title"), [form]);
  cancel.addEventListener("click", () => dialog.close());
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    feedback.replaceChildren();
    confirm.disabled = true;
    try {
      const confirmed = await call<Confirmed>("/v1/prepaid-keys/confirm", {
        body: { key, acceptLicense: accept.checked, licenseVersion: captured.license.version },
        idempotencyKey: accept.checked ? idempotencyKey : undefined,
      });
      dialog.close();
      onActivated(confirmed.notice, confirmed.confirmationEmail === "HELD");
    } catch (error) {
      feedback.append(message("error", describe(error)));
      confirm.disabled = false;
    }
  });
  accept.focus();
}

/** Figure 4: the notice, to be accepted. */
function noticeDialog(notice: string, emailHeld: boolean, onClose: () => void): void {
  const ok = h("button", { type: "submit" }, t("notice.ok"));
  // A held email is the user's to fix (verify the address): the notice, which says so, reads as a warning.
  const text = h("p", { class: emailHeld ? "notice warning" : "notice", role: emailHeld ? "alert" : null }, notice);
  const dialog = openDialog(t("notice.title"), [h("form", { method: "dialog" }, text, h("div", { class: "actions" }, ok))],
    onClose);
  dialog.classList.add("notice-dialog");
  ok.focus();
}
