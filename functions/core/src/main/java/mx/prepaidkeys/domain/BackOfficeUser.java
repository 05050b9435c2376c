package mx.prepaidkeys.domain;

/** A signed-in user of the vendor's back office (group {@code admins}). */
public record BackOfficeUser(String sub, String email) {}
