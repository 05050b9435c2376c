package mx.prepaidkeys.mail;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import mx.prepaidkeys.domain.ConfirmationEmail;
import mx.prepaidkeys.domain.DistributorId;
import mx.prepaidkeys.domain.KeyId;
import mx.prepaidkeys.domain.TestKeyIds;
import org.junit.jupiter.api.Test;

/** Every value written by a user or an admin is escaped where it goes into the email's HTML. */
class ConfirmationEmailTextTest {

    @Test
    void user_and_admin_written_values_are_escaped_in_the_html() {
        // A distributor id with markup never exists: its alphabet has no < or > (it cannot reach the email either).
        assertThrows(IllegalArgumentException.class, () -> new DistributorId("dist-<norte>"));
        ConfirmationEmail email = new ConfirmationEmail(TestKeyIds.keyId(1), "ana@norte.example", "Ana <img src=x onerror=alert(1)> & \"Co\"",
                "es-MX", "*****-*****-*****-*****-M3SQG", "SAE-12M", "Aspel <b>SAE</b>", new DistributorId("dist-norte"),
                Instant.parse("2026-11-25T19:37:12.345Z"), LocalDate.parse("2027-11-25"));
        var text = ConfirmationEmailText.render(email, "https://desk.example/?a=1&b=\"2\"");
        assertFalse(text.html().contains("<img"), text.html());
        assertFalse(text.html().contains("<b>SAE"), text.html());
        assertFalse(text.html().contains("<norte>"), text.html());
        assertTrue(text.html().contains("Ana &lt;img src=x onerror=alert(1)&gt; &amp; &quot;Co&quot;"), text.html());
        assertTrue(text.html().contains("href=\"https://desk.example/?a=1&amp;b=&quot;2&quot;#/claves/" + TestKeyIds.keyId(1).value() + "\""), text.html());
    }

    @Test
    void the_email_links_to_its_key_in_the_desks_list_in_the_users_language() {
        ConfirmationEmail email = new ConfirmationEmail(new KeyId("0123456789abcdefghjkmnpqrs"), "carlos@norte.example", null, "en",
                "*****-*****-*****-*****-M3SQG", "SAE-12M", "Aspel SAE 9.0", new DistributorId("dist-norte"),
                Instant.parse("2026-11-25T19:37:12.345Z"), LocalDate.parse("2027-11-25"));
        var text = ConfirmationEmailText.render(email, "https://desk.example/#/activar");
        String link = "https://desk.example/#/claves/0123456789abcdefghjkmnpqrs";
        assertTrue(text.text().contains("See this key under My services > Prepaid keys: " + link), text.text());
        assertTrue(text.html().contains("<a href=\"" + link + "\">My services &gt; Prepaid keys</a>"), text.html());
        assertTrue(text.subject().startsWith("Prepaid key confirmed"), text.subject());
        var spanish = ConfirmationEmailText.render(new ConfirmationEmail(email.keyId(), email.to(), null, "es-MX", email.maskedKey(),
                email.productSku(), email.productName(), email.distributorId(), email.activatedAt(), email.validUntil()), null);
        assertTrue(spanish.text().contains("Consulta esta clave en Mis servicios > Claves prepago"), spanish.text());
        assertFalse(spanish.html().contains("href"), "no desk address: the menu path only");
    }
}
