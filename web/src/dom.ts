// Small DOM helpers. Text always goes in as text (textContent), never as HTML: whatever a key,
// a client name or an error detail holds, it cannot become markup.
import { t } from "./i18n";

type Attrs = Record<string, string | boolean | number | ((event: Event) => void) | undefined | null>;
type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === "function") element.addEventListener(name.replace(/^on/, ""), value);
    else if (value === true) element.setAttribute(name, "");
    else element.setAttribute(name, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return element;
}

let ids = 0;

/** A labelled field: the label's for= names the control, so screen readers and tests find it by its label. */
export function field(label: string, control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, help?: string): HTMLElement {
  control.id ||= `f${++ids}`;
  const helpId = help ? `${control.id}-help` : undefined;
  if (helpId) control.setAttribute("aria-describedby", helpId);
  return h("div", { class: "field" }, h("label", { for: control.id }, label), control, help ? h("small", { id: helpId }, help) : null);
}

/**
 * What is wrong with a field, beside it: the control is marked invalid and described by the text,
 * so a screen reader reads it with the label when the focus comes back to the field.
 */
export function showFieldProblem(control: HTMLElement, text: string, describedBy?: string): void {
  const box = control.closest(".field") ?? control.parentElement;
  let id = describedBy;
  if (!id) {
    id = `${control.id}-problem`;
    box?.append(h("p", { id, class: "field-problem" }, text));
  }
  control.setAttribute("aria-invalid", "true");
  control.setAttribute("aria-describedby", [control.getAttribute("aria-describedby"), id].filter(Boolean).join(" "));
}

/** Every field of {@code form} as it was before a refusal: no marks, no problems beside them. */
export function clearFieldProblems(form: HTMLElement): void {
  for (const problem of form.querySelectorAll(".field-problem")) problem.remove();
  for (const control of form.querySelectorAll("[aria-invalid]")) {
    control.removeAttribute("aria-invalid");
    const rest = (control.getAttribute("aria-describedby") ?? "").split(" ").filter((id) => id && !id.endsWith("-problem"));
    if (rest.length) control.setAttribute("aria-describedby", rest.join(" "));
    else control.removeAttribute("aria-describedby");
  }
}

/** A message region (role=alert for errors): what went wrong, in the user's language. */
export function message(kind: "error" | "ok" | "info", text: string): HTMLElement {
  return h("p", { class: `message ${kind}`, role: kind === "error" ? "alert" : "status" }, text);
}

/**
 * A modal dialog (native <dialog>: focus is trapped, Escape closes it). When it closes, focus goes
 * back to what opened it, or where {@code onClose} puts it.
 */
export function openDialog(title: string, body: Node[], onClose?: () => void): HTMLDialogElement {
  const opener = document.activeElement as HTMLElement | null;
  const titleId = `d${++ids}`;
  const dialog = h("dialog", { "aria-labelledby": titleId, class: "desk-dialog" }, h("h2", { id: titleId }, title), ...body);
  dialog.addEventListener("close", () => {
    dialog.remove();
    if (onClose) onClose();
    else opener?.focus();
  });
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}

/** Every open window goes when the screen changes (Back, a menu link): none may act on a screen no longer shown. */
export function closeDialogs(): void {
  for (const dialog of document.querySelectorAll<HTMLDialogElement>("dialog.desk-dialog")) dialog.close();
}

/**
 * Asks before an action that cannot be undone: resolves true only when the person chose
 * {@code yes}; Cancelar, Escape and leaving the screen resolve false.
 */
export function ask(title: string, text: string, yes: string): Promise<boolean> {
  return new Promise((resolve) => {
    let answer = false;
    const confirm = h("button", { type: "submit", class: "danger" }, yes);
    const cancel = h("button", { type: "button", class: "secondary" }, t("confirm.cancel"));
    const dialog = openDialog(title, [h("form", { method: "dialog" }, h("p", {}, text), h("div", { class: "actions" }, confirm, cancel))]);
    dialog.addEventListener("close", () => resolve(answer));
    confirm.addEventListener("click", () => {
      answer = true;
    });
    cancel.addEventListener("click", () => dialog.close());
    // The safe choice has the focus: Enter alone never voids anything.
    cancel.focus();
  });
}

export function saveFile(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = h("a", { href: url, download: fileName });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Mexico City time, as the service's CSV and emails show it. */
export function localTime(iso: string | undefined): string {
  if (!iso) return "";
  return new Intl.DateTimeFormat(document.documentElement.lang || "es-MX", {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: "America/Mexico_City",
  }).format(new Date(iso));
}
