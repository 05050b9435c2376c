package mx.prepaidkeys.domain;

import java.time.Instant;

/**
 * One back-office write, as the audit log keeps it: who (by {@code sub} and username, which users
 * cannot change), what ({@code action}, e.g. {@code PRODUCT_SAVED}), on what ({@code target}: a SKU, a
 * batch, key, user or distributor id), when, and the request it came in.
 */
public record AuditEntry(Instant at, UserId actorSub, String actorUsername, String action, String target, String requestId) {}
