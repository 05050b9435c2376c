package mx.prepaidkeys.store;

import java.util.List;
import mx.prepaidkeys.domain.KeyRepository.KeyChangedConcurrently;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** One transaction, and what its cancellation means: a condition failed (someone changed the item), or it met another (retry). */
final class Transactions {
    /** Transactions that meet another transaction on the same item are cancelled, not queued: retry a few times. */
    private static final int CONFLICT_ATTEMPTS = 6;

    private Transactions() {}

    /** @throws KeyChangedConcurrently when a condition failed: the item was not as read */
    static void write(DynamoDbClient dynamo, String keyId, List<TransactWriteItem> items) {
        for (int attempt = 1; ; attempt++) {
            try {
                dynamo.transactWriteItems(r -> r.transactItems(items));
                return;
            } catch (TransactionCanceledException e) {
                if (conditionFailed(e)) throw new KeyChangedConcurrently(keyId);
                // Counters are shared by a distributor's transitions: concurrent ones can meet on them.
                boolean conflict = reasons(e).stream().anyMatch(r -> "TransactionConflict".equals(r.code()));
                if (!conflict || attempt == CONFLICT_ATTEMPTS) throw e;
                pause(10L * attempt + (long) (Math.random() * 20));
            }
        }
    }

    static boolean conditionFailed(TransactionCanceledException e) {
        return reasons(e).stream().anyMatch(reason -> "ConditionalCheckFailed".equals(reason.code()));
    }

    private static List<CancellationReason> reasons(TransactionCanceledException e) {
        return e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a write", e);
        }
    }
}
