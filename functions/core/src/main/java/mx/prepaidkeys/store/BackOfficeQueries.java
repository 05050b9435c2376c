package mx.prepaidkeys.store;

import static mx.prepaidkeys.store.KeyItems.s;
import static mx.prepaidkeys.store.KeyQueries.BOTTOM;
import static mx.prepaidkeys.store.KeyQueries.TOP;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import mx.prepaidkeys.activation.KeyListing;
import mx.prepaidkeys.domain.KeyFilter;
import mx.prepaidkeys.domain.KeyId;
import mx.prepaidkeys.domain.KeyRepository.BatchPage;
import mx.prepaidkeys.domain.KeyRepository.KeyPage;
import mx.prepaidkeys.domain.KeySearch;
import mx.prepaidkeys.domain.KeySort;
import mx.prepaidkeys.domain.KeyStatus;
import mx.prepaidkeys.domain.PrepaidKey;
import mx.prepaidkeys.store.KeyTable.Index;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * The back office's key search and batch list, each a Query on the index its lead is
 * (docs/data-model.md, "How the back office finds keys"). A key's last five symbols ({@code GSI8})
 * and a batch ({@code GSI2}) list key ids: the keys are then read themselves (BatchGetItem) and the
 * other filters applied to them, at most {@link #READ_BUDGET} a request, so a narrow filter gives a
 * short page with a position to go on, never a slow one. A distributor is read on its own indexes,
 * as its list reads them.
 */
final class BackOfficeQueries {
    /** Keys one search request may read besides the index entries that name them. */
    static final int READ_BUDGET = 500;

    private final DynamoDbClient dynamo;
    private final String table;
    private final KeyQueries distributors;

    BackOfficeQueries(DynamoDbClient dynamo, String table, KeyQueries distributors) {
        this.dynamo = dynamo;
        this.table = table;
        this.distributors = distributors;
    }

    /** A sort key range of one partition of an index that lists key ids. */
    private record Range(String pk, String low, String high) {}

    KeyPage find(KeySearch search, int limit, String after, Instant now) {
        return switch (search.lead()) {
            case SUFFIX -> byIds(Index.GSI8, List.of(new Range(KeyItems.keyEndPk(search.keySuffix()), BOTTOM, TOP)),
                    search, limit, after, now);
            case BATCH -> byIds(Index.GSI2, batchRanges(search), search, limit, after, now);
            case DISTRIBUTOR -> byDistributor(search, limit, after, now);
        };
    }

    /**
     * A batch's keys are listed by stored status ({@code <status>#<keyId>}): one range per stored
     * status that can show as one of the search's, in the index's order, so one position orders them all.
     */
    private static List<Range> batchRanges(KeySearch search) {
        Set<KeyStatus> stored = EnumSet.noneOf(KeyStatus.class);
        for (KeyStatus seen : search.statuses()) {
            switch (seen) {
                case EXPIRED -> stored.addAll(EnumSet.of(KeyStatus.ISSUED, KeyStatus.AVAILABLE));
                default -> stored.add(seen);
            }
        }
        String pk = "BATCH#" + search.batchId();
        return stored.stream().map(Enum::name).sorted().map(status -> new Range(pk, status + "#", status + "#" + TOP)).toList();
    }

    /**
     * Reads the ids an index lists, in its order, from {@code after} on, and the keys themselves;
     * keeps those the search matches until the page is full or the budget spent.
     */
    private KeyPage byIds(Index index, List<Range> ranges, KeySearch search, int limit, String after, Instant now) {
        boolean exact = decidedByIndex(search);
        List<PrepaidKey> page = new ArrayList<>();
        int read = 0;
        for (int r = 0; r < ranges.size(); r++) {
            Range range = ranges.get(r);
            if (after != null && after.compareTo(range.high()) >= 0) continue;
            // BETWEEN is inclusive: the entry at the position itself comes back and is skipped.
            String from = after != null && after.compareTo(range.low()) > 0 ? after : null;
            Map<String, AttributeValue> start = null;
            boolean again;
            do {
                int wanted = exact ? limit - page.size() + 1 : Math.min(100, READ_BUDGET - read + 1);
                QueryResponse response = query(index, range.pk(), from == null ? range.low() : from, range.high(),
                        Math.min(100, Math.max(2, wanted)), start);
                List<String> positions = new ArrayList<>();
                Map<String, KeyId> ids = new HashMap<>();
                for (var entry : response.items()) {
                    String sk = entry.get(index.sk()).s();
                    if (sk.equals(from)) continue;
                    positions.add(sk);
                    ids.put(sk, KeyItems.keyIdOf(entry));
                }
                start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
                // When the entries decide, only the keys the page shows are read; one more entry says whether more follow.
                int toRead = exact ? Math.min(positions.size(), limit - page.size()) : positions.size();
                List<KeyId> wantedIds = positions.subList(0, toRead).stream().map(ids::get).toList();
                Map<KeyId, PrepaidKey> keys = KeyReads.read(dynamo, table, wantedIds, false).stream()
                        .collect(Collectors.toMap(PrepaidKey::keyId, Function.identity()));
                for (int i = 0; i < toRead; i++) {
                    String position = positions.get(i);
                    read++;
                    PrepaidKey key = keys.get(wantedIds.get(i));
                    if (key != null && search.matches(key, now)) page.add(key);
                    if (page.size() == limit || read >= READ_BUDGET) {
                        boolean more = i + 1 < positions.size() || start != null || r + 1 < ranges.size();
                        return new KeyPage(page, more ? position : null);
                    }
                }
                again = start != null;
                if (toRead > 0 && toRead < positions.size()) {
                    // some keys were not what the entries promised (changed meanwhile): go on from the last one read
                    from = positions.get(toRead - 1);
                    start = null;
                    again = true;
                }
            } while (again);
        }
        return new KeyPage(page, null);
    }

    /**
     * Whether the index entries alone decide what matches: a suffix with no other filter, or a batch
     * with only statuses that its stored-status ranges give whole (EXPIRED is computed from the clock).
     */
    private static boolean decidedByIndex(KeySearch search) {
        if (search.distributorId() != null || search.clientRfc() != null || search.productSku() != null) return false;
        if (search.lead() == KeySearch.Lead.SUFFIX) return search.batchId() == null && search.statuses().containsAll(KeySearch.ALL);
        Set<KeyStatus> redeemable = EnumSet.of(KeyStatus.ISSUED, KeyStatus.AVAILABLE, KeyStatus.EXPIRED);
        Set<KeyStatus> asked = EnumSet.copyOf(search.statuses());
        asked.retainAll(redeemable);
        return asked.isEmpty() || asked.equals(redeemable);
    }

    private QueryResponse query(Index index, String pk, String low, String high, int limit, Map<String, AttributeValue> start) {
        QueryRequest.Builder request = QueryRequest.builder().tableName(table).indexName(index.name())
                .keyConditionExpression("#pk = :pk AND #sk BETWEEN :low AND :high")
                .expressionAttributeNames(Map.of("#pk", index.pk(), "#sk", index.sk()))
                .expressionAttributeValues(Map.of(":pk", s(pk), ":low", s(low), ":high", s(high)))
                .limit(limit).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL);
        if (start != null) request.exclusiveStartKey(start);
        QueryResponse response = dynamo.query(request.build());
        ReadMeter.add(response);
        return response;
    }

    /**
     * A distributor's keys as its own list reads them (by status, product or client RFC, newest
     * activation first). It never holds an ISSUED key.
     */
    private KeyPage byDistributor(KeySearch search, int limit, String after, Instant now) {
        Set<KeyStatus> held = EnumSet.copyOf(search.statuses());
        held.retainAll(KeyListing.VISIBLE);
        if (held.isEmpty()) return new KeyPage(List.of(), null);
        KeyFilter filter = new KeyFilter(held, search.productSku(), search.clientRfc(), null, null, null, null);
        return distributors.page(search.distributorId(), filter, KeySort.NEWEST_FIRST, limit, after, now);
    }

    /** A page of batches, newest first: {@code GSI1} holds every batch, {@code GSI4} a product's. */
    BatchPage batches(String productSku, int limit, String after) {
        Index index = productSku == null ? Index.GSI1 : Index.GSI4;
        String pk = productSku == null ? KeyItems.BATCHES : KeyItems.productBatchesPk(productSku);
        // DynamoDB refuses a name or value that the expression does not use: the sort key only with a position.
        Map<String, String> names = new HashMap<>(Map.of("#pk", index.pk()));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":pk", s(pk)));
        if (after != null) {
            names.put("#sk", index.sk());
            values.put(":after", s(after));
        }
        QueryResponse response = dynamo.query(QueryRequest.builder().tableName(table).indexName(index.name())
                .keyConditionExpression("#pk = :pk" + (after == null ? "" : " AND #sk < :after"))
                .expressionAttributeNames(names).expressionAttributeValues(values)
                .scanIndexForward(false).limit(limit + 1).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build());
        ReadMeter.add(response);
        List<Map<String, AttributeValue>> items = response.items();
        var batches = items.stream().limit(limit).map(KeyItems::toBatch).toList();
        String next = items.size() > limit ? items.get(limit - 1).get(index.sk()).s() : null;
        return new BatchPage(batches, next);
    }
}
