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
 * Opaque, tamper-proof list cursors. The signature covers the position, when the cursor was issued,
 * the caller's distributor and the query's filter: a cursor edited, taken to another account, reused
 * with another filter or older than a day fails verification ({@code CURSOR_INVALID}) instead of
 * reading someone else's rows.
 */
@Singleton
public class PageCursor {
    private static final String VERSION = "2";
    /** A cursor is for paging now, not a bookmark: older ones are refused. */
    public static final java.time.Duration LIFETIME = java.time.Duration.ofHours(24);
    private static final int SIGNATURE_BYTES = 16;
    private static final int MAX_LENGTH = 512;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final byte[] signingKey;

    public PageCursor(KeyHasher hasher) {
        this.signingKey = hasher.derive("list-cursor-v1");
    }

    public String encode(String position, String distributorId, String filter, java.time.Instant now) {
        byte[] positionBytes = position.getBytes(StandardCharsets.UTF_8);
        String issued = Long.toString(now.getEpochSecond(), 36);
        return VERSION + "." + ENCODER.encodeToString(positionBytes) + "." + issued + "."
                + ENCODER.encodeToString(sign(positionBytes, issued, distributorId, filter));
    }

    /** The position a cursor carries, if it was issued for this distributor and this filter, less than a day ago. */
    public String decode(String cursor, String distributorId, String filter, java.time.Instant now) {
        if (cursor == null || cursor.length() > MAX_LENGTH) throw invalid();
        String[] parts = cursor.split("\\.", -1);
        if (parts.length != 4 || !VERSION.equals(parts[0])) throw invalid();
        try {
            byte[] position = DECODER.decode(parts[1]);
            byte[] signature = DECODER.decode(parts[3]);
            if (!MessageDigest.isEqual(signature, sign(position, parts[2], distributorId, filter))) throw invalid();
            java.time.Instant issued = java.time.Instant.ofEpochSecond(Long.parseLong(parts[2], 36));
            if (issued.isBefore(now.minus(LIFETIME)) || issued.isAfter(now.plusSeconds(300))) throw invalid();
            return new String(position, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64OrNumber) {
            throw invalid();
        }
    }

    private byte[] sign(byte[] position, String issued, String distributorId, String filter) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(signingKey, "HmacSHA256"));
            // Length-prefixed fields: no choice of values can make two different triples sign the same.
            for (byte[] field : new byte[][] {position, issued.getBytes(StandardCharsets.UTF_8),
                    distributorId.getBytes(StandardCharsets.UTF_8), filter.getBytes(StandardCharsets.UTF_8)}) {
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
