package mx.prepaidkeys.domain;

import java.time.Instant;
import java.time.LocalDate;

/**
 * The email an activation owes its user: the facts to render, never the key itself. It is recorded
 * with the activation, so an activation cannot exist without the email it owes.
 *
 * @param validUntil the last day of the product's term, counted from the activation
 */
public record ConfirmationEmail(
        KeyId keyId,
        String to,
        String recipientName,
        String locale,
        String maskedKey,
        String productSku,
        String productName,
        DistributorId distributorId,
        Instant activatedAt,
        LocalDate validUntil) {}
