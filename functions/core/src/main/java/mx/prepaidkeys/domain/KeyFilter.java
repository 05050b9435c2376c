package mx.prepaidkeys.domain;

import java.time.Instant;
import java.util.Set;

/**
 * What "Filtro" narrows the list to. Every field but {@code statuses} may be null (no filter).
 *
 * @param clientRfc        an exact RFC (normalised)
 * @param clientNamePrefix the start of the client's name, as {@link Client#searchKey(String)} writes it
 * @param keySuffix        the last characters of the key (1 to 5, canonical symbols)
 * @param activatedFrom    inclusive
 * @param activatedBefore  exclusive
 */
public record KeyFilter(Set<KeyStatus> statuses, String productSku, String clientRfc, String clientNamePrefix, String keySuffix,
                        Instant activatedFrom, Instant activatedBefore) {

    public KeyFilter {
        statuses = Set.copyOf(statuses);
    }

    public boolean byClient() {
        return clientRfc != null || clientNamePrefix != null;
    }

    public boolean byDates() {
        return activatedFrom != null || activatedBefore != null;
    }

    /** The same filter for every status: what counts by status are computed over. */
    public KeyFilter withStatuses(Set<KeyStatus> all) {
        return new KeyFilter(all, productSku, clientRfc, clientNamePrefix, keySuffix, activatedFrom, activatedBefore);
    }
}
