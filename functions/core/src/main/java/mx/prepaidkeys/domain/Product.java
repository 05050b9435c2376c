package mx.prepaidkeys.domain;

/** A product of the catalogue as sold with prepaid keys; {@code license} is its current licence version. */
public record Product(String sku, String name, String description, int termMonths, License license) {}
