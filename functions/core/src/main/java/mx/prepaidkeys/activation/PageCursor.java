package mx.prepaidkeys.activation;

import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import mx.prepaidkeys.domain.DistributorId;
import mx.prepaidkeys.domain.DomainError;
import mx.prepaidkeys.domain.DomainException;
import mx.prepaidkeys.domain.KeyHasher;
import mx.prepaidkeys.domain.SecretKeys;

/**
 * Opaque, tamper-proof list cursors. A cursor carries its position, when it was issued and whose it
 * is, under two signatures: one over those (where it comes from) and one that adds the query's
 * filter. A cursor edited, reused with another filter or older than a day is {@code CURSOR_INVALID};
 * a genuine cursor of another distributor is {@code NOT_FOUND}, as another tenant's key id is: it
 * never reads someone else's rows, and the answer tells nothing about them.
 *
 * <p>The signatures are made with the cursor key derived from the secret's current version, which
 * the cursor names; a cursor signed under an older version still listed keeps working for its day.
 */
@Singleton
public class PageCursor {
    private static final String FORMAT = "4";
    /** A cursor is for paging now, not a bookmark: older ones are refused. */
    public static final java.time.Duration LIFETIME = java.time.Duration.ofHours(24);
    private static final int SIGNATURE_BYTES = 16;
    public static final int MAX_LENGTH = 1024;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeys keys;

    @jakarta.inject.Inject
    public PageCursor(SecretKeys keys) {
        this.keys = keys;
    }

    /** Tools that hold a hasher: the same secret. */
    public PageCursor(KeyHasher hasher) {
        this(hasher.keys());
    }

    public String encode(String position, DistributorId distributorId, String filter, java.time.Instant now) {
        byte[] positionBytes = position.getBytes(StandardCharsets.UTF_8);
        byte[] owner = distributorId.value().getBytes(StandardCharsets.UTF_8);
        String issued = Long.toString(now.getEpochSecond(), 36);
        int version = keys.current();
        return FORMAT + "." + version + "." + ENCODER.encodeToString(positionBytes) + "." + issued + "." + ENCODER.encodeToString(owner) + "."
                + ENCODER.encodeToString(sign(version, positionBytes, issued, owner, null)) + "."
                + ENCODER.encodeToString(sign(version, positionBytes, issued, owner, filter));
    }

    /** The position a cursor carries, if it was issued for this distributor and this filter, less than a day ago. */
    public String decode(String cursor, DistributorId distributorId, String filter, java.time.Instant now) {
        if (cursor == null || cursor.length() > MAX_LENGTH) throw invalid();
        String[] parts = cursor.split("\\.", -1);
        if (parts.length != 7 || !FORMAT.equals(parts[0]) || !parts[1].matches("[1-9][0-9]{0,5}")) throw invalid();
        int version = Integer.parseInt(parts[1]);
        // A version no longer listed signs nothing any more: its cursors are as good as edited.
        if (!keys.has(version)) throw invalid();
        try {
            byte[] position = DECODER.decode(parts[2]);
            byte[] owner = DECODER.decode(parts[4]);
            if (!MessageDigest.isEqual(DECODER.decode(parts[5]), sign(version, position, parts[3], owner, null))) throw invalid();
            if (!MessageDigest.isEqual(owner, distributorId.value().getBytes(StandardCharsets.UTF_8))) {
                throw new DomainException(new DomainError.NotFound());
            }
            if (!MessageDigest.isEqual(DECODER.decode(parts[6]), sign(version, position, parts[3], owner, filter))) throw invalid();
            java.time.Instant issued = java.time.Instant.ofEpochSecond(Long.parseLong(parts[3], 36));
            if (issued.isBefore(now.minus(LIFETIME)) || issued.isAfter(now.plusSeconds(300))) throw invalid();
            return new String(position, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64OrNumber) {
            throw invalid();
        }
    }

    /** @param filter null for the origin signature (position, time, owner) */
    private byte[] sign(int version, byte[] position, String issued, byte[] owner, String filter) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(keys.key(SecretKeys.Purpose.LIST_CURSOR, version), "HmacSHA256"));
            mac.update(filter == null ? (byte) 'o' : (byte) 'f');
            // Length-prefixed fields: no choice of values can make two different tuples sign the same.
            byte[][] fields = filter == null ? new byte[][] {position, issued.getBytes(StandardCharsets.UTF_8), owner}
                    : new byte[][] {position, issued.getBytes(StandardCharsets.UTF_8), owner, filter.getBytes(StandardCharsets.UTF_8)};
            for (byte[] field : fields) {
                mac.update(new byte[] {(byte) (field.length >>> 24), (byte) (field.length >>> 16),
                        (byte) (field.length >>> 8), (byte) field.length});
                mac.update(field);
            }
            return Arrays.copyOf(mac.doFinal(), SIGNATURE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static DomainException invalid() {
        return new DomainException(new DomainError.CursorInvalid());
    }
}
