// Figure 1, "Acceso a Distribuidores", and what Cognito may ask on the way in: a new password for
// a user created with a temporary one (NEW_PASSWORD_REQUIRED), or a code by email when the
// password was forgotten (ForgotPassword, ConfirmForgotPassword).
import { deskConfig } from "./api";
import { field, h, message } from "./dom";
import { t, type TextKey } from "./i18n";
import { AuthError, chooseNewPassword, forgotPassword, resetPassword, signIn, type SignInStep } from "./session";

/** The user pool's password policy (template.yaml, PasswordPolicy); Cognito checks it again. */
const PASSWORD_RULES = [/.{12,}/, /[a-z]/, /[A-Z]/, /[0-9]/];

/**
 * @param notice why the sign-in is shown (the session ended), if there is a reason. Once signed in,
 *               the session's event renders the desk on the route the user was on.
 */
export function loginScreen(notice: string | null): HTMLElement {
  const card = h("div", { class: "card login" });
  const show = (...children: Node[]) => {
    card.replaceChildren(...children);
    // (the first screen is shown before the card is in the page)
    queueMicrotask(() => card.querySelector<HTMLElement>("input:not([readonly])")?.focus());
  };

  function signInForm(info: HTMLElement | null, username = ""): void {
    const user = h("input", { name: "username", autocomplete: "username", required: true, value: username });
    const password = h("input", { name: "password", type: "password", autocomplete: "current-password", required: true });
    const feedback = h("div", { class: "feedback" }, info);
    const submit = h("button", { type: "submit" }, t("login.submit"));
    const forgot = h("button", { type: "button", class: "link" }, t("login.forgot"));
    const demo = deskConfig().demo;
    const form = h("form", {},
      h("h1", {}, t("login.title")), field(t("login.user"), user), field(t("login.password"), password), feedback,
      h("div", { class: "actions" }, submit), h("p", {}, forgot),
      demo ? h("p", { class: "hint" }, t("login.demo", demo.users.join(", "), demo.password)) : null);
    forgot.addEventListener("click", () => forgotForm(user.value.trim()));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      feedback.replaceChildren();
      submit.disabled = true;
      try {
        next(await signIn(user.value.trim(), password.value));
      } catch (error) {
        feedback.append(message("error", authText(error, "signIn")));
        submit.disabled = false;
        password.focus();
      }
    });
    show(form);
    if (username) queueMicrotask(() => password.focus());
  }

  function next(step: SignInStep): void {
    if (step.kind === "newPassword") newPasswordForm(step.username, step.challenge);
  }

  /** Cognito's NEW_PASSWORD_REQUIRED: the temporary password worked once, the user chooses their own. */
  function newPasswordForm(username: string, challenge: string): void {
    const [fresh, again, rules] = passwordFields();
    const feedback = h("div", { class: "feedback" });
    const submit = h("button", { type: "submit" }, t("newPassword.submit"));
    const form = h("form", {},
      h("h1", {}, t("newPassword.title")), h("p", {}, t("newPassword.intro")),
      hiddenUsername(username), field(t("password.new"), fresh, rules), field(t("password.repeat"), again), feedback,
      h("div", { class: "actions" }, submit));
    onNewPassword(form, fresh, again, feedback, submit, async () => {
      try {
        next(await chooseNewPassword(username, challenge, fresh.value));
      } catch (error) {
        // The challenge's session lasts minutes: once it is gone, start again from the temporary password.
        if ((error as AuthError).code === "NotAuthorizedException") signInForm(message("error", t("newPassword.expired")), username);
        else {
          feedback.append(message("error", authText(error, "newPassword")));
          submit.disabled = false;
          fresh.focus();
        }
      }
    });
    show(form);
  }

  /** "¿Olvidaste tu contraseña?": a code to the user's verified address, then the code and a new password. */
  function forgotForm(username: string): void {
    const user = h("input", { name: "username", autocomplete: "username", required: true, value: username });
    const feedback = h("div", { class: "feedback" });
    const submit = h("button", { type: "submit" }, t("forgot.send"));
    const back = h("button", { type: "button", class: "link" }, t("forgot.back"));
    const form = h("form", {},
      h("h1", {}, t("forgot.title")), h("p", {}, t("forgot.intro")), field(t("login.user"), user), feedback,
      h("div", { class: "actions" }, submit), h("p", {}, back));
    back.addEventListener("click", () => signInForm(null, user.value.trim()));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      feedback.replaceChildren();
      submit.disabled = true;
      const name = user.value.trim();
      try {
        codeForm(name, await sendCode(name));
      } catch (error) {
        feedback.append(message("error", authText(error, "forgot")));
        submit.disabled = false;
      }
    });
    show(form);
  }

  function codeForm(username: string, sent: string): void {
    const code = h("input", { name: "code", autocomplete: "one-time-code", inputmode: "numeric", required: true, maxlength: 10 });
    const [fresh, again, rules] = passwordFields();
    const feedback = h("div", { class: "feedback" }, message("info", sent));
    const submit = h("button", { type: "submit" }, t("forgot.submit"));
    const resend = h("button", { type: "button", class: "secondary" }, t("forgot.resend"));
    const back = h("button", { type: "button", class: "link" }, t("forgot.back"));
    const form = h("form", {},
      h("h1", {}, t("forgot.title")), hiddenUsername(username), field(t("forgot.code"), code), field(t("password.new"), fresh, rules),
      field(t("password.repeat"), again), feedback, h("div", { class: "actions" }, submit, resend), h("p", {}, back));
    back.addEventListener("click", () => signInForm(null, username));
    resend.addEventListener("click", async () => {
      feedback.replaceChildren();
      try {
        feedback.append(message("info", await sendCode(username)));
      } catch (error) {
        feedback.append(message("error", authText(error, "forgot")));
      }
    });
    onNewPassword(form, fresh, again, feedback, submit, async () => {
      try {
        await resetPassword(username, code.value.trim(), fresh.value);
        signInForm(message("ok", t("forgot.done")), username);
      } catch (error) {
        feedback.append(message("error", authText(error, "reset")));
        submit.disabled = false;
        code.focus();
      }
    });
    show(form);
  }

  signInForm(notice ? message("info", notice) : null);
  return card;
}

/** Asks Cognito for a code; says where it went without confirming that the user exists. */
async function sendCode(username: string): Promise<string> {
  try {
    await forgotPassword(username);
  } catch (error) {
    // An unknown user is answered like a known one (as Cognito does with PreventUserExistenceErrors).
    if ((error as AuthError).code !== "UserNotFoundException") throw error;
  }
  return t("forgot.sent");
}

function passwordFields(): [HTMLInputElement, HTMLInputElement, string] {
  return [
    h("input", { name: "newPassword", type: "password", autocomplete: "new-password", required: true }),
    h("input", { name: "repeatPassword", type: "password", autocomplete: "new-password", required: true }),
    t("password.rules"),
  ];
}

/**
 * A form that sets a new password typed twice: the two are checked against each other and the
 * pool's rules here, and only then does {@code send} run, with the button disabled until it answers.
 */
function onNewPassword(form: HTMLFormElement, fresh: HTMLInputElement, again: HTMLInputElement, feedback: HTMLElement,
    submit: HTMLButtonElement, send: () => Promise<void>): void {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    feedback.replaceChildren();
    const problem = passwordProblem(fresh.value, again.value);
    if (problem) {
      feedback.append(message("error", t(problem)));
      fresh.focus();
      return;
    }
    submit.disabled = true;
    await send();
  });
}

/** Password managers file the new password under this user. */
function hiddenUsername(username: string): HTMLElement {
  return h("input", { type: "text", name: "username", autocomplete: "username", value: username, readonly: true, hidden: true });
}

function passwordProblem(password: string, repeated: string): TextKey | null {
  if (!PASSWORD_RULES.every((rule) => rule.test(password))) return "password.weak";
  return password === repeated ? null : "password.mismatch";
}

/** Cognito's refusals in words; at sign-in an unknown user and a wrong password read the same. */
function authText(error: unknown, stage: "signIn" | "newPassword" | "forgot" | "reset"): string {
  const code = error instanceof AuthError ? error.code : "NETWORK";
  switch (code) {
    case "NETWORK":
      return t("error.network");
    case "NotAuthorizedException":
    case "UserNotFoundException":
      return t("login.failed");
    case "InvalidPasswordException":
      return stage === "signIn" ? t("login.failed") : t("password.weak");
    case "PasswordResetRequiredException":
      return t("login.resetRequired");
    case "UserNotConfirmedException":
      return t("login.notConfirmed");
    case "CodeMismatchException":
      return t("forgot.codeMismatch");
    case "ExpiredCodeException":
      return t("forgot.codeExpired");
    case "LimitExceededException":
    case "TooManyRequestsException":
    case "TooManyFailedAttemptsException":
      return t("login.tooMany");
    case "InvalidParameterException":
      return stage === "forgot" ? t("forgot.noEmail") : t("login.error", code);
    default:
      return code.startsWith("CHALLENGE_") ? t("login.unsupported") : t("login.error", code);
  }
}
