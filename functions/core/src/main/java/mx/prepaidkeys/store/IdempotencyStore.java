package mx.prepaidkeys.store;

import static mx.prepaidkeys.store.KeyTable.PK;
import static mx.prepaidkeys.store.KeyTable.SK;

import jakarta.inject.Singleton;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import mx.prepaidkeys.config.ServiceSettings;
import mx.prepaidkeys.domain.SecretKeys;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The records behind {@code Idempotency-Key}: the first request claims the key, runs, and stores its
 * answer; a retry with the same request gets that answer back, a different request with the same
 * key is refused, and a retry while the first still runs is told so.
 *
 * <p>Answers are stored sealed (AES-GCM under the sealing key derived from the secret, bound to the
 * record, with the secret's version beside it in {@code sealVersion}) and compressed: a batch answer
 * holds plain keys, which the table otherwise never does, and it must fit one item. Records expire
 * after 24 hours; an expired record counts as absent even before TTL removes it.
 */
@Singleton
public class IdempotencyStore {
    public static final Duration RETENTION = Duration.ofHours(24);
    private static final String RECORD_SK = "RECORD";

    private final DynamoDbClient dynamo;
    private final String table;
    /**
     * How long a claim outlives the invocation that holds it: past that invocation's end (Lambda's
     * deadline, from its context) no first run can still be going, so a retry may take the key
     * over. A claim its run could not give back (a dependency down, the function killed) frees
     * itself this soon after; the margin covers clocks that differ between instances.
     */
    static final Duration LEASE_MARGIN = Duration.ofSeconds(5);
    private final SecretKeys keys;

    public IdempotencyStore(DynamoDbClient dynamo, ServiceSettings settings, SecretKeys keys) {
        this.dynamo = dynamo;
        this.table = settings.tableName();
        this.keys = keys;
    }

    /** An answer as it was sent. */
    public record StoredResponse(int status, String contentType, Map<String, String> headers, String body) {}

    /** What a request with a given key may do. */
    public sealed interface Claim {
        /**
         * The first: run it, then {@link #complete} or {@link #release} with {@code token}; others
         * wait until {@code lockedUntil}. The token tells this run's claim from a later one's.
         */
        record Acquired(Instant lockedUntil, String token) implements Claim {}

        record Replay(StoredResponse response) implements Claim {}

        record InProgress(Instant lockedUntil) implements Claim {}

        record Mismatch() implements Claim {}
    }

    /** @param runEndsBy when the invocation that will run the request ends at the latest (its Lambda deadline) */
    public Claim claim(String recordKey, String requestHash, Instant now, Instant runEndsBy) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put(PK, AttributeValue.fromS(pk(recordKey)));
        item.put(SK, AttributeValue.fromS(RECORD_SK));
        item.put("type", AttributeValue.fromS("IDEMPOTENCY"));
        item.put("state", AttributeValue.fromS("IN_PROGRESS"));
        item.put("requestHash", AttributeValue.fromS(requestHash));
        Instant lockedUntil = runEndsBy.plus(LEASE_MARGIN);
        String token = java.util.UUID.randomUUID().toString();
        item.put("claimToken", AttributeValue.fromS(token));
        item.put("lockedUntil", AttributeValue.fromN(Long.toString(lockedUntil.toEpochMilli())));
        item.put("ttl", AttributeValue.fromN(Long.toString(now.plus(RETENTION).getEpochSecond())));
        try {
            dynamo.putItem(r -> r.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(PK) OR #ttl < :nowSeconds OR (#state = :inProgress AND lockedUntil < :nowMillis)")
                    .expressionAttributeNames(Map.of("#ttl", "ttl", "#state", "state"))
                    .expressionAttributeValues(Map.of(":nowSeconds", AttributeValue.fromN(Long.toString(now.getEpochSecond())),
                            ":nowMillis", AttributeValue.fromN(Long.toString(now.toEpochMilli())),
                            ":inProgress", AttributeValue.fromS("IN_PROGRESS"))));
            return new Claim.Acquired(lockedUntil, token);
        } catch (ConditionalCheckFailedException taken) {
            var existing = dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                    .key(Map.of(PK, AttributeValue.fromS(pk(recordKey)), SK, AttributeValue.fromS(RECORD_SK)))).item();
            if (existing == null || existing.isEmpty()) return claim(recordKey, requestHash, now, runEndsBy);
            // the SDK retried our own PutItem after its first attempt had written it: the claim is ours
            if (existing.containsKey("claimToken") && token.equals(existing.get("claimToken").s())) return new Claim.Acquired(lockedUntil, token);
            if (!requestHash.equals(existing.get("requestHash").s())) return new Claim.Mismatch();
            if (!"COMPLETED".equals(existing.get("state").s())) {
                return new Claim.InProgress(existing.containsKey("lockedUntil")
                        ? Instant.ofEpochMilli(Long.parseLong(existing.get("lockedUntil").n())) : lockedUntil);
            }
            int version = existing.containsKey("sealVersion") ? Integer.parseInt(existing.get("sealVersion").n()) : 1;
            return new Claim.Replay(unseal(recordKey, version, existing.get("response").b().asByteArray()));
        }
    }

    /**
     * Stores the answer of the run that holds the claim.
     *
     * @return false when the claim is no longer this run's to complete: its lease ended and a retry
     *     took the key over and completed or gave it back. The run's own answer still stands (what it
     *     did, the domain's conditions allowed once); later retries replay the stored one.
     */
    public boolean complete(String recordKey, String token, StoredResponse response) {
        int version = keys.current();
        byte[] sealed = seal(recordKey, version, response);
        try {
            dynamo.updateItem(r -> r.tableName(table)
                .key(Map.of(PK, AttributeValue.fromS(pk(recordKey)), SK, AttributeValue.fromS(RECORD_SK)))
                .updateExpression("SET #state = :completed, #response = :response, sealVersion = :version REMOVE lockedUntil")
                .conditionExpression("#state = :inProgress AND claimToken = :token")
                .expressionAttributeNames(Map.of("#state", "state", "#response", "response"))
                .expressionAttributeValues(Map.of(":completed", AttributeValue.fromS("COMPLETED"),
                        ":inProgress", AttributeValue.fromS("IN_PROGRESS"), ":response", AttributeValue.fromB(SdkBytes.fromByteArray(sealed)),
                        ":version", AttributeValue.fromN(Integer.toString(version)), ":token", AttributeValue.fromS(token))));
            return true;
        } catch (ConditionalCheckFailedException movedOn) {
            return false;
        }
    }

    /** Gives the key back after a failed first request, so that a retry runs it again; never a later run's claim. */
    public void release(String recordKey, String token) {
        try {
            dynamo.deleteItem(r -> r.tableName(table)
                    .key(Map.of(PK, AttributeValue.fromS(pk(recordKey)), SK, AttributeValue.fromS(RECORD_SK)))
                    .conditionExpression("#state = :inProgress AND claimToken = :token")
                    .expressionAttributeNames(Map.of("#state", "state"))
                    .expressionAttributeValues(Map.of(":inProgress", AttributeValue.fromS("IN_PROGRESS"), ":token", AttributeValue.fromS(token))));
        } catch (ConditionalCheckFailedException alreadyGone) {
            // completed, removed or taken over meanwhile: nothing of ours to give back
        }
    }

    private static String pk(String recordKey) {
        return "IDEMPOTENCY#" + recordKey;
    }

    /** What a sealed answer is bound to: its record, and the version of the secret that sealed it. */
    private static byte[] associated(String recordKey, int version) {
        return (recordKey + "#v" + version).getBytes(StandardCharsets.UTF_8);
    }

    private SecretKeySpec sealingKey(int version) {
        if (!keys.has(version)) throw new IllegalStateException("the answer was sealed under secret version " + version + ", no longer listed");
        return new SecretKeySpec(keys.key(SecretKeys.Purpose.ANSWER_SEALING, version), "AES");
    }

    private byte[] seal(String recordKey, int version, StoredResponse response) {
        try {
            ByteArrayOutputStream plain = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(plain))) {
                out.writeInt(response.status());
                out.writeUTF(response.contentType());
                out.writeInt(response.headers().size());
                for (var header : response.headers().entrySet()) {
                    out.writeUTF(header.getKey());
                    out.writeUTF(header.getValue());
                }
                byte[] body = response.body() == null ? new byte[0] : response.body().getBytes(StandardCharsets.UTF_8);
                out.writeInt(body.length);
                out.write(body);
            }
            byte[] iv = new byte[12];
            // A generator per answer: SnapStart copies of one snapshot never share its state.
            new SecureRandom().nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, sealingKey(version), new GCMParameterSpec(128, iv));
            cipher.updateAAD(associated(recordKey, version));
            byte[] sealed = cipher.doFinal(plain.toByteArray());
            byte[] out = Arrays.copyOf(iv, iv.length + sealed.length);
            System.arraycopy(sealed, 0, out, iv.length, sealed.length);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal an idempotent answer", e);
        }
    }

    private StoredResponse unseal(String recordKey, int version, byte[] sealed) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, sealingKey(version), new GCMParameterSpec(128, sealed, 0, 12));
            cipher.updateAAD(associated(recordKey, version));
            byte[] plain = cipher.doFinal(sealed, 12, sealed.length - 12);
            try (DataInputStream in = new DataInputStream(new GZIPInputStream(new ByteArrayInputStream(plain)))) {
                int status = in.readInt();
                String contentType = in.readUTF();
                int headers = in.readInt();
                Map<String, String> map = new LinkedHashMap<>();
                for (int i = 0; i < headers; i++) map.put(in.readUTF(), in.readUTF());
                byte[] body = in.readNBytes(in.readInt());
                return new StoredResponse(status, contentType, map, new String(body, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot open an idempotent answer (was a secret version changed in place?)", e);
        }
    }
}
