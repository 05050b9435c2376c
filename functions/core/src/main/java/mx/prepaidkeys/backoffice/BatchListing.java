package mx.prepaidkeys.backoffice;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import mx.prepaidkeys.activation.PageCursor;
import mx.prepaidkeys.domain.KeyRepository;

/**
 * The back office's list of batches, newest first, each with its provenance and its keys counted
 * by status; optionally one product's. Counting reads each listed batch's index entries (as one
 * batch's page does), so pages are small: {@value #MAX_LIMIT} batches at most.
 */
@Singleton
public class BatchListing {
    public static final int DEFAULT_LIMIT = 10;
    public static final int MAX_LIMIT = 25;
    private static final String LIST = "admin-batches\n";

    private final KeyRepository keys;
    private final PageCursor cursors;
    private final Clock clock;

    public BatchListing(KeyRepository keys, PageCursor cursors, Clock clock) {
        this.keys = keys;
        this.cursors = cursors;
        this.clock = clock;
    }

    /**
     * @param productSku null for every product
     * @param cursor     null for the first page
     */
    public Page list(String productSku, int limit, String cursor) {
        if (limit < 1 || limit > MAX_LIMIT) throw new IllegalArgumentException("limit " + limit);
        Instant now = clock.instant();
        String filter = LIST + productSku;
        String after = cursor == null ? null : cursors.decodeForBackOffice(cursor, filter, now);
        KeyRepository.BatchPage page = keys.listBatches(productSku, limit, after);
        List<Batches.Counted> counted = page.batches().stream()
                .map(batch -> new Batches.Counted(batch, Batches.countsAt(batch, keys.countBatch(batch.batchId()), now))).toList();
        String next = page.nextPosition() == null ? null : cursors.encodeForBackOffice(page.nextPosition(), filter, now);
        return new Page(counted, next);
    }

    public record Page(List<Batches.Counted> batches, String nextCursor) {}
}
