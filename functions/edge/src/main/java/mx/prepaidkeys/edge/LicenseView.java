package mx.prepaidkeys.edge;

import io.micronaut.serde.annotation.Serdeable;
import mx.prepaidkeys.domain.License;

/** The licence the user accepts (its text for the confirm window); its version goes back in the confirm request. */
@Serdeable
public record LicenseView(String version, String title, String url, String text) {
    public static LicenseView of(License license) {
        return new LicenseView(license.version(), license.title(), license.url(), license.text());
    }
}
