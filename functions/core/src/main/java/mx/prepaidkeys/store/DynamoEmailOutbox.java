package mx.prepaidkeys.store;

import static mx.prepaidkeys.store.KeyItems.s;
import static mx.prepaidkeys.store.KeyItems.str;
import static mx.prepaidkeys.store.KeyTable.PK;
import static mx.prepaidkeys.store.KeyTable.SK;

import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import mx.prepaidkeys.config.ServiceSettings;
import mx.prepaidkeys.domain.BackOfficeUser;
import mx.prepaidkeys.domain.ConfirmationEmail;
import mx.prepaidkeys.domain.DistributorId;
import mx.prepaidkeys.domain.EmailOutbox;
import mx.prepaidkeys.domain.KeyId;
import mx.prepaidkeys.domain.Timestamps;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/** The {@code EMAIL#ACTIVATION} item of each activated key (docs/data-model.md), moved by conditional updates. */
@Singleton
public class DynamoEmailOutbox implements EmailOutbox {
    /** The sort key of the email an activation owes, beside its key ({@code PK = KEY#<keyId>}). */
    public static final String SK_VALUE = "EMAIL#ACTIVATION";

    /**
     * The key whose email just became owed (PENDING: written with its activation, given back after
     * a failed attempt, or asked again by the back office), from a stream record's string
     * attributes; null for any other change of the table.
     */
    public static KeyId owedEmail(Map<String, String> keys, Map<String, String> newImage, Map<String, String> oldImage) {
        if (keys == null || newImage == null || !SK_VALUE.equals(keys.get(KeyTable.SK))) return null;
        if (!"PENDING".equals(newImage.get("state"))) return null;
        if (oldImage != null && "PENDING".equals(oldImage.get("state"))) return null;
        String pk = keys.get(KeyTable.PK);
        // Only the store writes KEY# items, always under a key id: anything else is no email of ours.
        return pk == null || !pk.startsWith("KEY#") ? null : KeyId.parse(pk.substring("KEY#".length())).orElse(null);
    }

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoEmailOutbox(DynamoDbClient dynamo, ServiceSettings settings) {
        this.dynamo = dynamo;
        this.table = settings.tableName();
    }

    /**
     * Writes emails in a state as they are, in bulk, for keys that may exist only as far as their
     * email is concerned: benchmarks, and migrations of activations from another system.
     */
    public void importEmails(java.util.List<mx.prepaidkeys.domain.ConfirmationEmail> emails, String state) {
        for (int i = 0; i < emails.size(); i += 25) {
            var writes = emails.subList(i, Math.min(emails.size(), i + 25)).stream()
                    .map(email -> software.amazon.awssdk.services.dynamodb.model.WriteRequest.builder()
                            .putRequest(p -> p.item(KeyItems.emailItem(email, state, null))).build())
                    .toList();
            var unprocessed = dynamo.batchWriteItem(r -> r.requestItems(Map.of(table, writes))).unprocessedItems();
            for (int attempt = 1; !unprocessed.isEmpty(); attempt++) {
                Transactions.pause(Math.min(1000, 25L << attempt));
                var again = unprocessed;
                unprocessed = dynamo.batchWriteItem(r -> r.requestItems(again)).unprocessedItems();
            }
        }
    }

    @Override
    public Optional<Claimed> claim(KeyId keyId, Instant at) {
        try {
            var item = dynamo.updateItem(r -> r.tableName(table).key(key(keyId))
                    .updateExpression("SET #state = :sending, claimedAt = :at ADD attempts :one")
                    .conditionExpression("#state = :pending")
                    .expressionAttributeNames(Map.of("#state", "state"))
                    .expressionAttributeValues(Map.of(":sending", s("SENDING"), ":pending", s("PENDING"),
                            ":at", s(Timestamps.format(at)), ":one", AttributeValue.fromN("1")))
                    .returnValues(ReturnValue.ALL_NEW)).attributes();
            ConfirmationEmail email = new ConfirmationEmail(keyId, str(item, "to"), str(item, "recipientName"), str(item, "locale"),
                    str(item, "maskedKey"), str(item, "productSku"), str(item, "productName"), new DistributorId(str(item, "distributorId")),
                    KeyItems.instant(item, "activatedAt"), LocalDate.parse(str(item, "validUntil")));
            return Optional.of(new Claimed(email, Integer.parseInt(item.get("attempts").n())));
        } catch (ConditionalCheckFailedException notPending) {
            return Optional.empty();
        }
    }

    @Override
    public void markSent(KeyId keyId, String messageId, Instant at) {
        move(keyId, "SENDING", "SENT", Map.of("messageId", messageId, "sentAt", Timestamps.format(at)));
    }

    @Override
    public void release(KeyId keyId, String error, Instant at) {
        move(keyId, "SENDING", "PENDING", Map.of("lastError", error, "lastErrorAt", Timestamps.format(at)));
    }

    @Override
    public void markFailed(KeyId keyId, String error, Instant at) {
        move(keyId, "SENDING", "FAILED", Map.of("lastError", error, "lastErrorAt", Timestamps.format(at)));
    }

    @Override
    public Optional<Resend> requestResend(KeyId keyId, BackOfficeUser by, Instant at, Instant staleBefore, boolean releaseHeld) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":pending", s("PENDING"), ":sent", s("SENT"), ":failed", s("FAILED"),
                ":sending", s("SENDING"), ":stale", s(Timestamps.format(staleBefore)), ":by", s(by.sub().value()),
                ":byName", s(by.username() == null ? by.sub().value() : by.username()), ":at", s(Timestamps.format(at))));
        String condition = "#state IN (:sent, :failed) OR (#state = :sending AND claimedAt < :stale)";
        if (releaseHeld) {
            condition += " OR #state = :held";
            values.put(":held", s("HELD"));
        }
        try {
            String when = condition;
            dynamo.updateItem(r -> r.tableName(table).key(key(keyId))
                    .updateExpression("SET #state = :pending, resendRequestedBy = :by, resendRequestedByUsername = :byName, "
                            + "resendRequestedAt = :at")
                    .conditionExpression(when)
                    .expressionAttributeNames(Map.of("#state", "state"))
                    .expressionAttributeValues(values));
            return Optional.of(new Resend("PENDING", true));
        } catch (ConditionalCheckFailedException onItsWay) {
            var item = dynamo.getItem(r -> r.tableName(table).key(key(keyId)).consistentRead(true)).item();
            return item == null || item.isEmpty() ? Optional.empty() : Optional.of(new Resend(str(item, "state"), false));
        }
    }

    private void move(KeyId keyId, String from, String to, Map<String, String> with) {
        Map<String, String> names = new HashMap<>(Map.of("#state", "state"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":from", s(from), ":to", s(to)));
        StringBuilder set = new StringBuilder("SET #state = :to");
        int i = 0;
        for (var entry : with.entrySet()) {
            names.put("#w" + i, entry.getKey());
            values.put(":w" + i, s(entry.getValue()));
            set.append(", #w").append(i).append(" = :w").append(i);
            i++;
        }
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(keyId)).updateExpression(set.toString())
                    .conditionExpression("#state = :from").expressionAttributeNames(names).expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException movedMeanwhile) {
            // only the claim holder moves a SENDING email; nothing else to do
        }
    }

    private static Map<String, AttributeValue> key(KeyId keyId) {
        return Map.of(PK, s(KeyItems.keyPk(keyId)), SK, s(SK_VALUE));
    }
}
