package mx.prepaidkeys.store;

import static mx.prepaidkeys.store.KeyTable.PK;
import static mx.prepaidkeys.store.KeyTable.SK;

import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import mx.prepaidkeys.domain.Activation;
import mx.prepaidkeys.domain.Assignment;
import mx.prepaidkeys.domain.Client;
import mx.prepaidkeys.domain.DistributorId;
import mx.prepaidkeys.domain.KeyId;
import mx.prepaidkeys.domain.KeyStatus;
import mx.prepaidkeys.domain.PrepaidKey;
import mx.prepaidkeys.domain.Timestamps;
import mx.prepaidkeys.domain.UserId;
import mx.prepaidkeys.domain.Voiding;
import mx.prepaidkeys.store.KeyTable.Index;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A key as an item: every attribute and every index entry follows from the key's state, in this one
 * place. A transition writes the whole item of the new state, on the condition that the stored item
 * is still in the old one.
 */
final class KeyItems {
    static final String KEY_SK = "KEY";
    /** Sorts after every real expiry: keys that never expire come last in expiry order. */
    static final String NEVER = "9999-12-31T23:59:59.999Z";

    private KeyItems() {}

    static String keyPk(KeyId keyId) {
        return "KEY#" + keyId.value();
    }

    static Map<String, AttributeValue> key(KeyId keyId) {
        return Map.of(PK, s(keyPk(keyId)), SK, s(KEY_SK));
    }

    /** The whole item of a key in its state. */
    static Map<String, AttributeValue> item(PrepaidKey key) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s(keyPk(key.keyId())));
        item.put(SK, s(KEY_SK));
        item.put("type", s("KEY"));
        item.put("keyId", s(key.keyId().value()));
        item.put("maskedKey", s(key.maskedKey()));
        item.put("keySuffixRev", s(reversedSuffix(key.maskedKey())));
        item.put("productSku", s(key.productSku()));
        item.put("productName", s(key.productName()));
        item.put("status", s(key.storedStatus().name()));
        item.put("hashVersion", AttributeValue.fromN(Integer.toString(key.hashVersion())));
        if (key.batchId() != null) item.put("batchId", s(key.batchId()));
        if (key.expiresAt() != null) item.put("expiresAt", s(Timestamps.format(key.expiresAt())));
        Activation a = key.activation();
        if (a != null) {
            item.put("distributorId", s(a.distributorId().value()));
            item.put("activatedAt", s(Timestamps.format(a.activatedAt())));
            item.put("activatedDay", s(day(a.activatedAt()).toString()));
            item.put("activatedBySub", s(a.userSub().value()));
            putIfPresent(item, "activatedByUsername", a.username());
            item.put("licenseVersion", s(a.licenseVersion()));
            putIfPresent(item, "activatedByName", a.userName());
            putIfPresent(item, "emailHeldReason", a.emailHeldReason());
            putIfPresent(item, "sourceIp", a.sourceIp());
            putIfPresent(item, "userAgent", a.userAgent());
        }
        Assignment assignment = key.assignment();
        if (assignment != null) {
            item.put("clientRfc", s(assignment.client().rfc()));
            item.put("clientName", s(assignment.client().name()));
            item.put("clientNameKey", s(assignment.client().searchKey()));
            item.put("assignedAt", s(Timestamps.format(assignment.assignedAt())));
            item.put("assignedBySub", s(assignment.bySub().value()));
            putIfPresent(item, "assignedByUsername", assignment.byUsername());
            if (assignment.rfcCheckDigitOverridden()) item.put("rfcCheckDigitOverridden", AttributeValue.fromBool(true));
        }
        Voiding voiding = key.voiding();
        if (voiding != null) {
            item.put("voidReason", s(voiding.reason()));
            item.put("voidedAt", s(Timestamps.format(voiding.at())));
            item.put("voidedBySub", s(voiding.bySub().value()));
            putIfPresent(item, "voidedByUsername", voiding.byUsername());
        }
        item.putAll(indexEntries(key));
        return item;
    }

    /** Where the key appears in each index; an index it is not in gets no attributes (sparse). */
    static Map<String, AttributeValue> indexEntries(PrepaidKey key) {
        Map<String, AttributeValue> entries = new HashMap<>();
        String id = key.keyId().value();
        String status = key.storedStatus().name();
        if (key.batchId() != null) put(entries, Index.GSI2, "BATCH#" + key.batchId(), status + "#" + id);
        DistributorId distributorId = key.distributorId();
        if (distributorId != null) {
            String activated = Timestamps.format(key.activation().activatedAt()) + "#" + id;
            String expires = (key.expiresAt() == null ? NEVER : Timestamps.format(key.expiresAt())) + "#" + id;
            put(entries, Index.GSI1, statusPartition(distributorId, key.storedStatus()), activated);
            put(entries, Index.GSI3, statusPartition(distributorId, key.storedStatus()), expires);
            put(entries, Index.GSI4, productPartition(distributorId, key.productSku(), key.storedStatus()), activated);
            put(entries, Index.GSI7, suffixPartition(distributorId), reversedSuffix(key.maskedKey()) + "#" + id);
            if (key.assignment() != null) {
                Client client = key.assignment().client();
                put(entries, Index.GSI5, rfcPartition(distributorId, client.rfc()), activated);
                put(entries, Index.GSI6, namePartition(distributorId), client.searchKey() + "#" + id);
            }
        }
        return entries;
    }

    static String statusPartition(DistributorId distributorId, KeyStatus stored) {
        return "DIST#" + distributorId.value() + "#" + stored.name();
    }

    static String productPartition(DistributorId distributorId, String sku, KeyStatus stored) {
        return "DIST#" + distributorId.value() + "#P#" + sku + "#" + stored.name();
    }

    static String rfcPartition(DistributorId distributorId, String rfc) {
        return "DIST#" + distributorId.value() + "#C#" + rfc;
    }

    static String namePartition(DistributorId distributorId) {
        return "DIST#" + distributorId.value() + "#CN";
    }

    static String suffixPartition(DistributorId distributorId) {
        return "DIST#" + distributorId.value() + "#Q";
    }

    /** The key's last five symbols reversed: a suffix search becomes a {@code begins_with}. */
    static String reversedSuffix(String maskedKey) {
        return new StringBuilder(maskedKey.substring(maskedKey.length() - 5)).reverse().toString();
    }

    static LocalDate day(Instant instant) {
        return instant.atZone(Timestamps.MEXICO_CITY).toLocalDate();
    }

    static final String NO_EXPIRY = "NONE";
    static final String TOTAL = "TOTAL";

    /**
     * The counters a held key adds to, by counter item: {@code TOTAL} (all the distributor's keys),
     * {@code DAY#<activation day>} (for date filters) and, for an AVAILABLE key that expires,
     * {@code EXP#<expiry month>}. A bucket is stored status and product, and for AVAILABLE keys their
     * expiry: the month in {@code TOTAL} (few buckets, whatever the number of batches), the instant
     * in the others, so that counts can tell EXPIRED from AVAILABLE exactly without reading keys.
     */
    static Map<String, String> buckets(PrepaidKey key) {
        String base = key.storedStatus().name() + "|" + key.productSku();
        String day = "DAY#" + day(key.activation().activatedAt());
        if (key.storedStatus() != KeyStatus.AVAILABLE) return Map.of(TOTAL, base, day, base);
        if (key.expiresAt() == null) return Map.of(TOTAL, base + "|" + NO_EXPIRY, day, base + "|" + NO_EXPIRY);
        String instant = Timestamps.format(key.expiresAt());
        return Map.of(TOTAL, base + "|" + instant.substring(0, 7), "EXP#" + instant.substring(0, 7), base + "|" + instant,
                day, base + "|" + instant);
    }

    static PrepaidKey toKey(Map<String, AttributeValue> item) {
        Activation activation = null;
        if (item.containsKey("distributorId")) {
            activation = new Activation(new DistributorId(str(item, "distributorId")), instant(item, "activatedAt"),
                    userId(item, "activatedBySub"), str(item, "activatedByUsername"), str(item, "activatedByName"), str(item, "licenseVersion"),
                    str(item, "sourceIp"), str(item, "userAgent"), str(item, "emailHeldReason"));
        }
        Assignment assignment = null;
        if (item.containsKey("clientRfc")) {
            assignment = new Assignment(new Client(str(item, "clientRfc"), str(item, "clientName")), instant(item, "assignedAt"),
                    userId(item, "assignedBySub"), str(item, "assignedByUsername"),
                    item.containsKey("rfcCheckDigitOverridden") && item.get("rfcCheckDigitOverridden").bool());
        }
        Voiding voiding = null;
        if (item.containsKey("voidReason")) {
            voiding = new Voiding(str(item, "voidReason"), instant(item, "voidedAt"), userId(item, "voidedBySub"), str(item, "voidedByUsername"));
        }
        return new PrepaidKey(new KeyId(str(item, "keyId")), str(item, "maskedKey"), str(item, "productSku"), str(item, "productName"),
                str(item, "batchId"), KeyStatus.valueOf(str(item, "status")), instant(item, "expiresAt"), activation, assignment, voiding,
                item.containsKey("hashVersion") ? Integer.parseInt(item.get("hashVersion").n()) : 1);
    }

    private static void put(Map<String, AttributeValue> entries, Index index, String pk, String sk) {
        entries.put(index.pk(), s(pk));
        entries.put(index.sk(), s(sk));
    }

    private static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) item.put(name, s(value));
    }

    /** A history entry: {@code PK = KEY#<keyId>}, {@code SK = EVENT#<at>#<type>}, who and what. */
    static Map<String, AttributeValue> eventItem(mx.prepaidkeys.domain.KeyEvent event) {
        Map<String, AttributeValue> item = new java.util.HashMap<>();
        item.put(PK, s(keyPk(event.keyId())));
        item.put(SK, s("EVENT#" + Timestamps.format(event.at()) + "#" + event.type().name()));
        item.put("type", s("EVENT"));
        item.put("eventType", s(event.type().name()));
        item.put("at", s(Timestamps.format(event.at())));
        if (event.actorSub() != null) item.put("actorSub", s(event.actorSub().value()));
        putIfPresent(item, "actorUsername", event.actorUsername());
        if (!event.details().isEmpty()) {
            Map<String, AttributeValue> details = new java.util.HashMap<>();
            event.details().forEach((name, value) -> details.put(name, s(value)));
            item.put("details", AttributeValue.fromM(details));
        }
        return item;
    }

    static mx.prepaidkeys.domain.KeyEvent toEvent(KeyId keyId, Map<String, AttributeValue> item) {
        Map<String, String> details = new java.util.LinkedHashMap<>();
        if (item.containsKey("details")) item.get("details").m().forEach((name, value) -> details.put(name, value.s()));
        return new mx.prepaidkeys.domain.KeyEvent(keyId, mx.prepaidkeys.domain.KeyEvent.Type.valueOf(str(item, "eventType")),
                instant(item, "at"), userId(item, "actorSub"), str(item, "actorUsername"), Map.copyOf(details));
    }

    /**
     * The email an activation owes, beside its key ({@code SK = EMAIL#ACTIVATION}): what the
     * notifier needs to write it, and its {@code state} (PENDING, SENDING, SENT, FAILED, HELD).
     */
    static Map<String, AttributeValue> emailItem(mx.prepaidkeys.domain.ConfirmationEmail email, String state, String heldReason) {
        Map<String, AttributeValue> item = new java.util.HashMap<>();
        item.put(PK, s(keyPk(email.keyId())));
        item.put(SK, s(DynamoEmailOutbox.SK_VALUE));
        item.put("type", s("EMAIL"));
        item.put("state", s(state));
        putIfPresent(item, "heldReason", heldReason);
        putIfPresent(item, "to", email.to());
        putIfPresent(item, "recipientName", email.recipientName());
        item.put("locale", s(email.locale()));
        item.put("maskedKey", s(email.maskedKey()));
        item.put("productSku", s(email.productSku()));
        item.put("productName", s(email.productName()));
        item.put("distributorId", s(email.distributorId().value()));
        item.put("activatedAt", s(Timestamps.format(email.activatedAt())));
        item.put("validUntil", s(email.validUntil().toString()));
        return item;
    }

    static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    /** A {@code sub} as stored; null when the item has none. */
    static UserId userId(Map<String, AttributeValue> item, String name) {
        String text = str(item, name);
        return text == null ? null : new UserId(text);
    }

    static Instant instant(Map<String, AttributeValue> item, String name) {
        String text = str(item, name);
        return text == null ? null : Timestamps.parse(text);
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
