package mx.prepaidkeys.domain;

/**
 * One version of a product's licence of use: what the user ticks "Acepto la licencia de uso" for.
 * {@code text} is shown in the confirm window; {@code url} is its permanent published copy.
 */
public record License(String version, String title, String url, String text) {}
