package mx.prepaidkeys.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;
import mx.prepaidkeys.domain.KeyRepository.WriteStats;
import mx.prepaidkeys.domain.PrepaidKey;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** Whole key items written in bulk: BatchWriteItem of 25, 8 requests at a time, unprocessed items retried. */
final class BulkWrites {
    private static final int ITEMS_PER_BATCH_WRITE = 25;
    private static final int WRITE_THREADS = 8;
    private static final int UNPROCESSED_ATTEMPTS = 10;

    private final DynamoDbClient dynamo;
    private final String table;

    BulkWrites(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    WriteStats keys(List<PrepaidKey> keys) {
        return items(keys.stream().map(KeyItems::item).toList());
    }

    /** Whole items of any kind (a client directory imported), in bulk. */
    WriteStats items(List<Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue>> items) {
        long started = System.nanoTime();
        AtomicInteger requests = new AtomicInteger();
        DoubleAdder capacity = new DoubleAdder();
        List<List<WriteRequest>> chunks = new ArrayList<>();
        for (int i = 0; i < items.size(); i += ITEMS_PER_BATCH_WRITE) {
            List<WriteRequest> chunk = new ArrayList<>();
            for (var item : items.subList(i, Math.min(items.size(), i + ITEMS_PER_BATCH_WRITE))) {
                chunk.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
            }
            chunks.add(chunk);
        }
        ExecutorService writers = Executors.newFixedThreadPool(Math.min(WRITE_THREADS, Math.max(1, chunks.size())));
        try {
            List<Future<?>> done = new ArrayList<>();
            for (List<WriteRequest> chunk : chunks) done.add(writers.submit(() -> writeAll(chunk, requests, capacity)));
            for (Future<?> future : done) future.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing keys", e);
        } finally {
            writers.shutdownNow();
        }
        return new WriteStats(items.size(), requests.get(), capacity.sum(), (System.nanoTime() - started) / 1_000_000);
    }

    /** One BatchWriteItem, then its unprocessed items again with exponential backoff until none are left. */
    private void writeAll(List<WriteRequest> chunk, AtomicInteger requests, DoubleAdder capacity) {
        List<WriteRequest> pending = chunk;
        for (int attempt = 0; !pending.isEmpty(); attempt++) {
            if (attempt == UNPROCESSED_ATTEMPTS) {
                throw new IllegalStateException(pending.size() + " items still unprocessed after " + attempt + " attempts");
            }
            if (attempt > 0) Transactions.pause(Math.min(1000, 25L << attempt));
            List<WriteRequest> sending = pending;
            BatchWriteItemResponse response = dynamo.batchWriteItem(r -> r.requestItems(Map.of(table, sending))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            requests.incrementAndGet();
            if (response.hasConsumedCapacity()) {
                response.consumedCapacity().forEach(c -> capacity.add(c.capacityUnits() == null ? 0 : c.capacityUnits()));
            }
            pending = response.hasUnprocessedItems() ? response.unprocessedItems().getOrDefault(table, List.of()) : List.of();
        }
    }
}
