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
}
