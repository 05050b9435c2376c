package mx.prepaidkeys.activation;

import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import mx.prepaidkeys.domain.DomainError;
import mx.prepaidkeys.domain.DomainException;
import mx.prepaidkeys.domain.KeyHasher;

/**
 * Opaque, tamper-proof list cursors. A cursor carries its position, when it was issued and whose it
 * is, under two signatures: one over those (where it comes from) and one that adds the query's
 * filter. A cursor edited, reused with another filter or older than a day is {@code CURSOR_INVALID};
 * a genuine cursor of another distributor is {@code NOT_FOUND}, as another tenant's key id is: it
 * never reads someone else's rows, and the answer tells nothing about them.
 */
@Singleton
public class PageCursor {
    private static final String VERSION = "3";
    /** A cursor is for paging now, not a bookmark: older ones are refused. */
    public static final java.time.Duration LIFETIME = java.time.Duration.ofHours(24);
    private static final int SIGNATURE_BYTES = 16;
    public static final int MAX_LENGTH = 1024;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final byte[] signingKey;

    public PageCursor(KeyHasher hasher) {
        this.signingKey = hasher.derive("list-cursor-v1");
    }

    public String encode(String position, String distributorId, String filter, java.time.Instant now) {
        byte[] positionBytes = position.getBytes(StandardCharsets.UTF_8);
        byte[] owner = distributorId.getBytes(StandardCharsets.UTF_8);
        String issued = Long.toString(now.getEpochSecond(), 36);
        return VERSION + "." + ENCODER.encodeToString(positionBytes) + "." + issued + "." + ENCODER.encodeToString(owner) + "."
                + ENCODER.encodeToString(sign(positionBytes, issued, owner, null)) + "."
                + ENCODER.encodeToString(sign(positionBytes, issued, owner, filter));
    }

    /** The position a cursor carries, if it was issued for this distributor and this filter, less than a day ago. */
    public String decode(String cursor, String distributorId, String filter, java.time.Instant now) {
        if (cursor == null || cursor.length() > MAX_LENGTH) throw invalid();
        String[] parts = cursor.split("\\.", -1);
        if (parts.length != 6 || !VERSION.equals(parts[0])) throw invalid();
        try {
            byte[] position = DECODER.decode(parts[1]);
            byte[] owner = DECODER.decode(parts[3]);
            if (!MessageDigest.isEqual(DECODER.decode(parts[4]), sign(position, parts[2], owner, null))) throw invalid();
            if (!MessageDigest.isEqual(owner, distributorId.getBytes(StandardCharsets.UTF_8))) {
                throw new DomainException(new DomainError.NotFound());
            }
            if (!MessageDigest.isEqual(DECODER.decode(parts[5]), sign(position, parts[2], owner, filter))) throw invalid();
            java.time.Instant issued = java.time.Instant.ofEpochSecond(Long.parseLong(parts[2], 36));
            if (issued.isBefore(now.minus(LIFETIME)) || issued.isAfter(now.plusSeconds(300))) throw invalid();
            return new String(position, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64OrNumber) {
            throw invalid();
        }
    }

    /** @param filter null for the origin signature (position, time, owner) */
    private byte[] sign(byte[] position, String issued, byte[] owner, String filter) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(signingKey, "HmacSHA256"));
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
