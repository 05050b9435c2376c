package mx.prepaidkeys.mail;

import mx.prepaidkeys.domain.ConfirmationEmail;
import mx.prepaidkeys.domain.Timestamps;
import mx.prepaidkeys.i18n.Language;
import mx.prepaidkeys.i18n.Messages;

/**
 * The confirmation email in the recipient's language, as text and as HTML. Times are shown in
 * Mexico City time, the vendor's and most distributors' clock.
 */
public record ConfirmationEmailText(String subject, String text, String html) {

    public static ConfirmationEmailText render(ConfirmationEmail email, String deskUrl) {
        Language language = Language.fromTag(email.locale());
        String when = Messages.dateFormat(language, "email.dateTimePattern").format(email.activatedAt().atZone(Timestamps.MEXICO_CITY));
        String validUntil = Messages.dateFormat(language, "date.pattern").format(email.validUntil());
        String who = email.recipientName() == null || email.recipientName().isBlank()
                ? email.to() : email.recipientName() + " <" + email.to() + ">";
        String where = deskUrl == null ? Messages.get(language, "email.whereMenu")
                : Messages.get(language, "email.whereMenu") + ": " + deskUrl;

        String subject = Messages.get(language, "email.subject", email.maskedKey());
        String text = String.join("\n",
                Messages.get(language, "email.greeting", nameOrEmail(email)),
                "",
                Messages.get(language, "email.intro", email.maskedKey()),
                "",
                Messages.get(language, "email.product") + ": " + email.productName() + " (" + email.productSku() + ")",
                Messages.get(language, "email.activatedAt") + ": " + when,
                Messages.get(language, "email.validUntil") + ": " + validUntil,
                Messages.get(language, "email.confirmedBy") + ": " + who,
                Messages.get(language, "email.distributor") + ": " + email.distributorId().value(),
                "",
                Messages.get(language, "email.where") + " " + where,
                "",
                Messages.get(language, "email.footer"));

        String link = deskUrl == null ? escape(Messages.get(language, "email.whereMenu"))
                : "<a href=\"" + escape(deskUrl) + "\">" + escape(Messages.get(language, "email.whereMenu")) + "</a>";
        String html = "<!DOCTYPE html><html lang=\"" + language.tag() + "\"><head><meta charset=\"utf-8\"><title>"
                + escape(subject) + "</title></head><body>"
                + "<p>" + escape(Messages.get(language, "email.greeting", nameOrEmail(email))) + "</p>"
                + "<p>" + escape(Messages.get(language, "email.intro", email.maskedKey())) + "</p>"
                + "<table>"
                + row(Messages.get(language, "email.product"), email.productName() + " (" + email.productSku() + ")")
                + row(Messages.get(language, "email.activatedAt"), when)
                + row(Messages.get(language, "email.validUntil"), validUntil)
                + row(Messages.get(language, "email.confirmedBy"), who)
                + row(Messages.get(language, "email.distributor"), email.distributorId().value())
                + "</table>"
                + "<p>" + escape(Messages.get(language, "email.where")) + " " + link + "</p>"
                + "<p>" + escape(Messages.get(language, "email.footer")) + "</p>"
                + "</body></html>";
        return new ConfirmationEmailText(subject, text, html);
    }

    private static String nameOrEmail(ConfirmationEmail email) {
        return email.recipientName() == null || email.recipientName().isBlank() ? email.to() : email.recipientName();
    }

    private static String row(String label, String value) {
        return "<tr><th align=\"left\">" + escape(label) + "</th><td>" + escape(value) + "</td></tr>";
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
