package mx.prepaidkeys.domain;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One entry of a key's history: a transition, who made it ({@code sub} and username), when, and
 * what it carried.
 */
public record KeyEvent(KeyId keyId, Type type, Instant at, UserId actorSub, String actorUsername, Map<String, String> details) {

    public enum Type {
        ISSUED(true), ACTIVATED(false), EMAIL_HELD(false), ASSIGNED(false), REASSIGNED(false), VOIDED(true);

        private final boolean backOffice;

        Type(boolean backOffice) {
            this.backOffice = backOffice;
        }

        /** Whether the back office makes this kind of entry (distributors see the vendor, not who); otherwise a distributor's user does. */
        public boolean byBackOffice() {
            return backOffice;
        }
    }

    /** Why an activation's confirmation email waits: the user's address is not one they proved is theirs. */
    public static final String EMAIL_NOT_VERIFIED = "EMAIL_NOT_VERIFIED";

    public static KeyEvent activated(KeyId keyId, Activation activation) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("distributorId", activation.distributorId().value());
        details.put("licenseVersion", activation.licenseVersion());
        if (activation.sourceIp() != null) details.put("sourceIp", activation.sourceIp());
        if (activation.userAgent() != null) details.put("userAgent", activation.userAgent());
        return new KeyEvent(keyId, Type.ACTIVATED, activation.activatedAt(), activation.userSub(), activation.username(),
                Map.copyOf(details));
    }

    /** The activation's email was not sent, and why (it waits until the back office releases it). */
    public static KeyEvent emailHeld(KeyId keyId, Activation activation) {
        return new KeyEvent(keyId, Type.EMAIL_HELD, activation.activatedAt(), activation.userSub(), activation.username(),
                Map.of("reason", activation.emailHeldReason()));
    }

    public static KeyEvent assigned(KeyId keyId, DistributorId distributorId, Assignment assignment, String sourceIp) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("distributorId", distributorId.value());
        details.put("clientRfc", assignment.client().rfc());
        details.put("clientName", assignment.client().name());
        if (assignment.rfcCheckDigitOverridden()) details.put("rfcCheckDigitOverridden", "true");
        if (sourceIp != null) details.put("sourceIp", sourceIp);
        return new KeyEvent(keyId, Type.ASSIGNED, assignment.assignedAt(), assignment.bySub(), assignment.byUsername(), Map.copyOf(details));
    }

    /** An assignment corrected: the client the key was given to, the one it goes to now, and why. */
    public static KeyEvent reassigned(KeyId keyId, DistributorId distributorId, Assignment from, Assignment to, String reason,
                                      String sourceIp) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("distributorId", distributorId.value());
        details.put("fromClientRfc", from.client().rfc());
        details.put("fromClientName", from.client().name());
        details.put("clientRfc", to.client().rfc());
        details.put("clientName", to.client().name());
        details.put("reason", reason);
        if (to.rfcCheckDigitOverridden()) details.put("rfcCheckDigitOverridden", "true");
        if (sourceIp != null) details.put("sourceIp", sourceIp);
        return new KeyEvent(keyId, Type.REASSIGNED, to.assignedAt(), to.bySub(), to.byUsername(), Map.copyOf(details));
    }

    public static KeyEvent voided(KeyId keyId, Voiding voiding, KeyStatus before) {
        return new KeyEvent(keyId, Type.VOIDED, voiding.at(), voiding.bySub(), voiding.byUsername(),
                Map.of("reason", voiding.reason(), "previousStatus", before.name()));
    }
}
