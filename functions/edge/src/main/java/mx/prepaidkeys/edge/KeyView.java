package mx.prepaidkeys.edge;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import mx.prepaidkeys.domain.PrepaidKey;
import mx.prepaidkeys.domain.Timestamps;
import mx.prepaidkeys.domain.UserId;

/**
 * A key as the API shows it: to its distributor in the list, in its history and after an assign;
 * to the back office with where it came from (its batch) and who holds it. Absent fields are left out.
 *
 * @param status      the status at the time of the answer (EXPIRED computed from the clock)
 * @param activatedBy the username of the user who confirmed it (their {@code sub} for records without one)
 * @param assignedBy  likewise for the assignment
 */
@Serdeable
public record KeyView(String keyId, String maskedKey, String status, ProductRef product, String expiresAt, String activatedAt,
                      String activatedBy, ClientView client, String assignedAt, String assignedBy, String voidedAt,
                      String voidReason, String batchId, String distributorId) {

    @Serdeable
    public record ProductRef(String sku, String name) {}

    @Serdeable
    public record ClientView(String rfc, String name) {}

    public static KeyView forDistributor(PrepaidKey key, Instant now) {
        return of(key, now, false);
    }

    public static KeyView forBackOffice(PrepaidKey key, Instant now) {
        return of(key, now, true);
    }

    private static KeyView of(PrepaidKey key, Instant now, boolean backOffice) {
        var activation = key.activation();
        var assignment = key.assignment();
        var voiding = key.voiding();
        return new KeyView(key.keyId().value(), key.maskedKey(), key.status(now).name(), new ProductRef(key.productSku(), key.productName()),
                time(key.expiresAt()),
                activation == null ? null : time(activation.activatedAt()),
                activation == null ? null : actor(activation.username(), activation.userSub()),
                assignment == null ? null : new ClientView(assignment.client().rfc(), assignment.client().name()),
                assignment == null ? null : time(assignment.assignedAt()),
                assignment == null ? null : actor(assignment.byUsername(), assignment.bySub()),
                voiding == null ? null : time(voiding.at()),
                voiding == null ? null : voiding.reason(),
                backOffice ? key.batchId() : null,
                backOffice && key.distributorId() != null ? key.distributorId().value() : null);
    }

    /** Who did something, as answers name them: the username, or the {@code sub} for records without one. */
    public static String actor(String username, UserId sub) {
        return username != null ? username : sub(sub);
    }

    /** A {@code sub} as answers write it: the bare text (null for none). */
    static String sub(UserId sub) {
        return sub == null ? null : sub.value();
    }

    private static String time(Instant instant) {
        return instant == null ? null : Timestamps.format(instant);
    }
}
