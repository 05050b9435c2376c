package mx.prepaidkeys.domain;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** One entry of a key's history: a transition, who made it, when, and what it carried. */
public record KeyEvent(String keyId, Type type, Instant at, String actorSub, String actorEmail, Map<String, String> details) {
    public enum Type { ISSUED, ACTIVATED, ASSIGNED, VOIDED }

    public static KeyEvent activated(String keyId, Activation activation) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("distributorId", activation.distributorId());
        details.put("licenseVersion", activation.licenseVersion());
        if (activation.sourceIp() != null) details.put("sourceIp", activation.sourceIp());
        if (activation.userAgent() != null) details.put("userAgent", activation.userAgent());
        return new KeyEvent(keyId, Type.ACTIVATED, activation.activatedAt(), activation.userSub(), activation.userEmail(),
                Map.copyOf(details));
    }

    public static KeyEvent assigned(String keyId, String distributorId, Assignment assignment, String sourceIp) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("distributorId", distributorId);
        details.put("clientRfc", assignment.client().rfc());
        details.put("clientName", assignment.client().name());
        if (assignment.rfcCheckDigitOverridden()) details.put("rfcCheckDigitOverridden", "true");
        if (sourceIp != null) details.put("sourceIp", sourceIp);
        return new KeyEvent(keyId, Type.ASSIGNED, assignment.assignedAt(), assignment.bySub(), assignment.byEmail(), Map.copyOf(details));
    }

    public static KeyEvent voided(String keyId, Voiding voiding, KeyStatus before) {
        return new KeyEvent(keyId, Type.VOIDED, voiding.at(), voiding.bySub(), voiding.byEmail(),
                Map.of("reason", voiding.reason(), "previousStatus", before.name()));
    }
}
