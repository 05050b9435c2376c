package mx.prepaidkeys.domain;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the back office finds keys by. A search starts from one filter an index serves, its
 * {@link Lead}: the key's last five symbols (what a distributor reads out from a masked key), a
 * batch, or a distributor. Status, product and client RFC narrow it; alone they would need an index
 * that every key of the table is written to, and the batch list answers "how many, of what" instead.
 *
 * @param keySuffix     the last {@value #SUFFIX_LENGTH} symbols of the key, canonical (upper case, O as 0, I and L as 1)
 * @param batchId       a batch id
 * @param distributorId the distributor that holds the keys
 * @param clientRfc     an RFC, normalised
 * @param statuses      the statuses people see (EXPIRED computed); never empty
 * @param productSku    a product SKU
 */
public record KeySearch(String keySuffix, String batchId, DistributorId distributorId, String clientRfc, Set<KeyStatus> statuses,
                        String productSku) {
    public static final int SUFFIX_LENGTH = 5;
    public static final Set<KeyStatus> ALL = EnumSet.allOf(KeyStatus.class);

    /** The filter an index serves, most selective first: a suffix names a key or two, a batch at most 5,000. */
    public enum Lead { SUFFIX, BATCH, DISTRIBUTOR }

    public KeySearch {
        statuses = Set.copyOf(statuses);
        if (statuses.isEmpty()) throw new IllegalArgumentException("no status");
        if (keySuffix != null && keySuffix.length() != SUFFIX_LENGTH) throw new IllegalArgumentException("suffix " + keySuffix);
        if (keySuffix == null && batchId == null && distributorId == null) {
            throw new IllegalArgumentException("a search needs a key suffix, a batch or a distributor");
        }
    }

    public Lead lead() {
        if (keySuffix != null) return Lead.SUFFIX;
        return batchId != null ? Lead.BATCH : Lead.DISTRIBUTOR;
    }

    /** Whether a key is one the search asks for, with its status as people see it at {@code now}. */
    public boolean matches(PrepaidKey key, Instant now) {
        return (keySuffix == null || key.maskedKey().endsWith(keySuffix))
                && (batchId == null || batchId.equals(key.batchId()))
                && (distributorId == null || distributorId.equals(key.distributorId()))
                && (clientRfc == null || (key.assignment() != null && clientRfc.equals(key.assignment().client().rfc())))
                && (productSku == null || productSku.equals(key.productSku()))
                && statuses.contains(key.status(now));
    }

    /** What a cursor is bound to: every filter. */
    public String fingerprint() {
        return String.join("\n", String.valueOf(keySuffix), String.valueOf(batchId), String.valueOf(distributorId),
                String.valueOf(clientRfc), statuses.stream().map(Enum::name).sorted().collect(Collectors.joining(",")),
                String.valueOf(productSku));
    }
}
