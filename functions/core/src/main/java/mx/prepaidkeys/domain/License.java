package mx.prepaidkeys.domain;

/** One version of a product's licence of use: what the user ticks "Acepto la licencia de uso" for. */
public record License(String version, String title, String url) {}
