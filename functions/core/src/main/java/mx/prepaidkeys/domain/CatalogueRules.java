package mx.prepaidkeys.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a product of the catalogue must be to be sold and read: the back office typed {@code 00} as a
 * SKU, {@code s} as a licence version, {@code 0} as a title and one character as a licence text, and
 * all of it was taken. The SKU names the product on every key and invoice, the version is what a
 * user accepts, the title and text are what they read before accepting.
 */
public final class CatalogueRules {
    /** 2 to 24 capitals, digits and dashes, a letter first and no dash last: {@code SAE-12M}, {@code COI-12M}. */
    public static final Pattern SKU = Pattern.compile("[A-Z](?:[A-Z0-9-]{0,22}[A-Z0-9])");
    /** Digits, a dot, digits: {@code 2026.1} (up to 4 and 3 digits). */
    public static final Pattern LICENSE_VERSION = Pattern.compile("[0-9]{1,4}\\.[0-9]{1,3}");
    /** Characters other than spaces in a product's name and a licence's title. */
    public static final int MIN_TITLE = 3;
    /** Characters other than spaces and line breaks in a licence's text. */
    public static final int MIN_LICENSE_TEXT = 20;

    private CatalogueRules() {}

    /** A rule a field breaks. */
    public enum Rule { SKU, LICENSE_VERSION, TOO_SHORT }

    /**
     * @param field   the request's name for it ({@code license.version})
     * @param minimum for {@code TOO_SHORT}, the characters other than spaces it needs
     */
    public record Broken(String field, Rule rule, int minimum) {}

    public static boolean isSku(String sku) {
        return sku != null && SKU.matcher(sku).matches();
    }

    /** The rules each field of a product breaks; fields left null (already refused for another reason) are skipped. */
    public static List<Broken> check(String name, String licenseVersion, String licenseTitle, String licenseText) {
        List<Broken> broken = new ArrayList<>();
        if (name != null && visible(name) < MIN_TITLE) broken.add(new Broken("name", Rule.TOO_SHORT, MIN_TITLE));
        if (licenseVersion != null && !LICENSE_VERSION.matcher(licenseVersion).matches()) {
            broken.add(new Broken("license.version", Rule.LICENSE_VERSION, 0));
        }
        if (licenseTitle != null && visible(licenseTitle) < MIN_TITLE) broken.add(new Broken("license.title", Rule.TOO_SHORT, MIN_TITLE));
        if (licenseText != null && visible(licenseText) < MIN_LICENSE_TEXT) {
            broken.add(new Broken("license.text", Rule.TOO_SHORT, MIN_LICENSE_TEXT));
        }
        return broken;
    }

    /** Every rule the product breaks, its SKU included. */
    public static List<Broken> check(Product product) {
        List<Broken> broken = new ArrayList<>();
        if (!isSku(product.sku())) broken.add(new Broken("sku", Rule.SKU, 0));
        License license = product.license();
        broken.addAll(check(product.name(), license.version(), license.title(), license.text()));
        return broken;
    }

    /** Code points that are not white space. */
    static int visible(String text) {
        return (int) text.codePoints().filter(c -> !Character.isWhitespace(c) && !Character.isSpaceChar(c)).count();
    }
}
