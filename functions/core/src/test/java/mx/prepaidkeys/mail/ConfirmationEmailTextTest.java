package mx.prepaidkeys.mail;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import mx.prepaidkeys.domain.ConfirmationEmail;
import mx.prepaidkeys.domain.DistributorId;
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
        assertTrue(text.html().contains("href=\"https://desk.example/?a=1&amp;b=&quot;2&quot;\""), text.html());
    }
}
