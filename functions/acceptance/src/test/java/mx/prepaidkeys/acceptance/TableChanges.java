package mx.prepaidkeys.acceptance;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Every write to a table, read from its stream. "Changes nothing" is then checked against the
 * table's own change log: no record since the mark, whatever item a bug might have touched.
 */
final class TableChanges {
    private final DynamoDbStreamsClient streams;
    private final String streamArn;

    TableChanges(TestStack stack, String table) {
        this.streams = DynamoDbStreamsClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .endpointOverride(stack.emulators.dynamoDbEndpoint())
                .build();
        this.streamArn = stack.dynamo.describeTable(r -> r.tableName(table)).table().latestStreamArn();
    }

    /** How many writes the table has seen so far. */
    int mark() {
        return records().size();
    }

    /**
     * The writes after {@code mark}, as "EVENT PK SK" lines (readable in an assertion message), but the
     * activation report's: its tally writes them from the stream, after any activation of any test,
     * and only for a key that became USED, a change this log shows itself.
     */
    List<String> since(int mark) {
        List<Record> records = records();
        return records.subList(mark, records.size()).stream()
                .filter(r -> !r.dynamodb().keys().get("PK").s().startsWith("REPORT#"))
                .map(r -> r.eventNameAsString() + " " + r.dynamodb().keys().get("PK").s() + " " + r.dynamodb().keys().get("SK").s())
                .toList();
    }

    /**
     * The writes after {@code mark} other than failed-attempt logs and audit entries: what a refused guess
     * may not touch, and what a back-office write that answers "as it was" (a void key voided again) leaves
     * alone; its audit entry records the request, not a change.
     */
    List<String> keysAndHistorySince(int mark) {
        return since(mark).stream().filter(change -> !change.contains(" ATTEMPTS#") && !change.contains(" AUDIT#")).toList();
    }

    /** The failed-attempt log writes after {@code mark}. */
    List<String> attemptsSince(int mark) {
        return since(mark).stream().filter(change -> change.contains(" ATTEMPTS#")).toList();
    }

    /**
     * True when the writes after {@code mark} to attempt items are exactly one slot of one user
     * taken and given back: what a capture or confirm that was no failed guess leaves behind.
     */
    boolean onlyASlotTakenAndGivenBack(int mark) {
        List<Record> records = records();
        List<Record> attempts = records.subList(mark, records.size()).stream()
                .filter(r -> r.dynamodb().keys().get("PK").s().startsWith("ATTEMPTS#")).toList();
        if (attempts.size() != 2) return false;
        String slotItem = attempts.get(0).dynamodb().keys().get("PK").s() + " " + attempts.get(0).dynamodb().keys().get("SK").s();
        var after = attempts.get(1).dynamodb().newImage();
        var before = attempts.get(0).dynamodb().oldImage();
        boolean sameItem = slotItem.equals(attempts.get(1).dynamodb().keys().get("PK").s() + " " + attempts.get(1).dynamodb().keys().get("SK").s());
        // the slot attributes as they were before the attempt: the second write undid the first
        java.util.function.Function<java.util.Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue>, java.util.Map<String, String>> slots =
                image -> {
                    java.util.Map<String, String> found = new java.util.TreeMap<>();
                    if (image != null) image.forEach((name, value) -> { if (name.matches("s\\d")) found.put(name, value.s()); });
                    return found;
                };
        return sameItem && slotItem.startsWith("ATTEMPTS#USER#") && slotItem.endsWith(" SLOTS") && slots.apply(before).equals(slots.apply(after));
    }

    List<Record> records() {
        List<Record> records = new ArrayList<>();
        var shards = streams.describeStream(r -> r.streamArn(streamArn)).streamDescription().shards();
        for (var shard : shards) {
            String iterator = streams.getShardIterator(r -> r.streamArn(streamArn).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (iterator != null) {
                String current = iterator;
                var page = streams.getRecords(r -> r.shardIterator(current));
                records.addAll(page.records());
                if (page.records().isEmpty()) break;
                iterator = page.nextShardIterator();
            }
        }
        return records;
    }

}
