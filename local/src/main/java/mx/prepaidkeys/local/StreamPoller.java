package mx.prepaidkeys.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import mx.prepaidkeys.log.JsonLog;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * What Lambda's DynamoDB stream event source mapping does, locally, with the mapping's settings
 * from template.yaml: reads the table's stream shard by shard, drops the records its
 * {@code FilterCriteria} do not match, hands the rest to the function as the event Lambda sends
 * (at most {@code BatchSize} records), and on a failure retries from the failed record
 * ({@code ReportBatchItemFailures}) up to {@code MaximumRetryAttempts} times with a growing wait,
 * then gives up on it. The position is kept in a checkpoint file, so a restarted stack goes on
 * where it stopped.
 */
public final class StreamPoller implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The function on the stream: the event (Lambda's JSON) in, its answer out, or null when it failed as a whole. */
    public interface StreamFunction {
        byte[] invoke(byte[] event);
    }

    private final DynamoDbStreamsClient streams;
    private final String streamArn;
    private final StreamFunction function;
    private final SamTemplate.StreamSource source;
    private final EventFilter filter;
    private final Path checkpoint;
    private final Map<String, String> positions = new LinkedHashMap<>();
    private final Map<String, String> iterators = new HashMap<>();
    private Thread thread;
    private volatile boolean running;
    private volatile boolean paused;

    /** @param checkpoint where positions are kept between runs, or null to start from the stream's beginning each time */
    public StreamPoller(DynamoDbStreamsClient streams, String streamArn, SamTemplate.StreamSource source, StreamFunction function,
                        Path checkpoint) {
        this.streams = streams;
        this.streamArn = streamArn;
        this.source = source;
        this.filter = EventFilter.of(source.filterPatterns());
        this.function = function;
        this.checkpoint = checkpoint;
        loadCheckpoint();
    }

    /** Polls in the background every {@code intervalMillis}. */
    public StreamPoller start(long intervalMillis) {
        running = true;
        thread = new Thread(() -> {
            while (running) {
                try {
                    if (paused || pollOnce() == 0) Thread.sleep(intervalMillis);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // DynamoDB restarted or unreachable: read again from the last delivered record once it answers
                    synchronized (this) {
                        iterators.clear();
                    }
                    JsonLog.warn("stream_poll_failed", Map.of("error", e.getClass().getName()));
                    try {
                        Thread.sleep(1_000);
                    } catch (InterruptedException stop) {
                        return;
                    }
                }
            }
        }, "stream-poller");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /** Stops delivering (after the delivery under way, if any) until {@link #resume()}: records wait in the stream. */
    public synchronized void pause() {
        paused = true;
    }

    public void resume() {
        paused = false;
    }

    /**
     * Reads what the stream holds now and delivers it; returns how many records it read. Records the
     * function writes meanwhile (an email given back for a retry) wait for the next poll, as they
     * would for the next Lambda invocation.
     */
    public synchronized int pollOnce() {
        int read = 0;
        var shards = streams.describeStream(r -> r.streamArn(streamArn)).streamDescription().shards();
        for (var shard : shards) {
            List<Record> records = new ArrayList<>();
            while (true) {
                String iterator = iterator(shard.shardId());
                if (iterator == null) break;
                try {
                    var page = streams.getRecords(r -> r.shardIterator(iterator).limit(1_000));
                    iterators.put(shard.shardId(), page.nextShardIterator());
                    if (page.records().isEmpty()) break;
                    records.addAll(page.records());
                } catch (ExpiredIteratorException expired) {
                    // start again after the last delivered record
                    iterators.remove(shard.shardId());
                    records.clear();
                }
            }
            read += records.size();
            List<Record> matching = records.stream().filter(r -> filter.matches(JSON.valueToTree(record(r)))).toList();
            boolean delivered = true;
            for (int i = 0; i < matching.size() && delivered; i += source.batchSize()) {
                delivered = deliver(shard.shardId(), matching.subList(i, Math.min(matching.size(), i + source.batchSize())));
            }
            // records the filter dropped are passed, as Lambda passes them
            if (delivered && !records.isEmpty()) positions.put(shard.shardId(), records.getLast().dynamodb().sequenceNumber());
        }
        saveCheckpoint();
        return read;
    }

    private String iterator(String shardId) {
        String iterator = iterators.get(shardId);
        if (iterator != null) return iterator;
        String after = positions.get(shardId);
        iterator = streams.getShardIterator(r -> {
            r.streamArn(streamArn).shardId(shardId);
            if (after == null) r.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
            else r.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(after);
        }).shardIterator();
        iterators.put(shardId, iterator);
        return iterator;
    }

    /**
     * Delivers a batch; a failed record and those after it go again, up to the mapping's
     * {@code MaximumRetryAttempts}; false when interrupted before the batch was through.
     */
    private boolean deliver(String shardId, List<Record> batch) {
        int start = 0;
        int failures = 0;
        while (start < batch.size()) {
            List<Record> pending = batch.subList(start, batch.size());
            String failedAt = invoke(pending);
            if (failedAt == null) {
                positions.put(shardId, pending.getLast().dynamodb().sequenceNumber());
                return true;
            }
            int failed = 0;
            while (failed < pending.size() && !pending.get(failed).dynamodb().sequenceNumber().equals(failedAt)) failed++;
            if (failed == pending.size()) failed = 0;
            if (failed > 0) {
                positions.put(shardId, pending.get(failed - 1).dynamodb().sequenceNumber());
                start += failed;
                failures = 0;
                continue;
            }
            if (source.maximumRetryAttempts() >= 0 && ++failures > source.maximumRetryAttempts()) {
                JsonLog.error("stream_record_dead_lettered", Map.of("sequenceNumber", failedAt));
                positions.put(shardId, failedAt);
                start++;
                failures = 0;
                continue;
            }
            try {
                Thread.sleep(200L << Math.min(6, Math.max(0, failures - 1)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** @return the sequence number of the first record the function failed on, or null */
    private String invoke(List<Record> records) {
        byte[] answer;
        try {
            answer = function.invoke(JSON.writeValueAsBytes(Map.of("Records", records.stream().map(this::record).toList())));
        } catch (IOException | RuntimeException e) {
            JsonLog.warn("stream_batch_failed", Map.of("error", e.getClass().getName()));
            answer = null;
        }
        if (answer == null) return records.getFirst().dynamodb().sequenceNumber();
        try {
            JsonNode failures = JSON.readTree(answer).path("batchItemFailures");
            return failures.isArray() && !failures.isEmpty() ? failures.get(0).path("itemIdentifier").asText() : null;
        } catch (IOException notJson) {
            return records.getFirst().dynamodb().sequenceNumber();
        }
    }

    /** One record as Lambda puts it in the event: AttributeValues in DynamoDB's JSON, names as the stream API has them. */
    private Map<String, Object> record(Record record) {
        var change = record.dynamodb();
        Map<String, Object> dynamodb = new LinkedHashMap<>();
        if (change.approximateCreationDateTime() != null) dynamodb.put("ApproximateCreationDateTime", change.approximateCreationDateTime().getEpochSecond());
        dynamodb.put("Keys", image(change.keys()));
        if (change.hasNewImage()) dynamodb.put("NewImage", image(change.newImage()));
        if (change.hasOldImage()) dynamodb.put("OldImage", image(change.oldImage()));
        dynamodb.put("SequenceNumber", change.sequenceNumber());
        dynamodb.put("SizeBytes", change.sizeBytes());
        dynamodb.put("StreamViewType", change.streamViewTypeAsString());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("eventID", record.eventID());
        out.put("eventName", record.eventNameAsString());
        out.put("eventVersion", record.eventVersion() == null ? "1.1" : record.eventVersion());
        out.put("eventSource", "aws:dynamodb");
        out.put("awsRegion", record.awsRegion() == null ? "us-east-1" : record.awsRegion());
        out.put("dynamodb", dynamodb);
        out.put("eventSourceARN", streamArn);
        return out;
    }

    private static Map<String, Object> image(Map<String, AttributeValue> item) {
        Map<String, Object> out = new LinkedHashMap<>();
        item.forEach((name, value) -> out.put(name, attribute(value)));
        return out;
    }

    private static Map<String, Object> attribute(AttributeValue value) {
        if (value.s() != null) return Map.of("S", value.s());
        if (value.n() != null) return Map.of("N", value.n());
        if (value.b() != null) return Map.of("B", java.util.Base64.getEncoder().encodeToString(value.b().asByteArray()));
        if (value.bool() != null) return Map.of("BOOL", value.bool());
        if (value.nul() != null) return Map.of("NULL", value.nul());
        if (value.hasM()) return Map.of("M", image(value.m()));
        if (value.hasL()) return Map.of("L", value.l().stream().map(StreamPoller::attribute).toList());
        if (value.hasSs()) return Map.of("SS", value.ss());
        if (value.hasNs()) return Map.of("NS", value.ns());
        if (value.hasBs()) return Map.of("BS", value.bs().stream().map(b -> java.util.Base64.getEncoder().encodeToString(b.asByteArray())).toList());
        return Map.of("NULL", true);
    }

    private void loadCheckpoint() {
        if (checkpoint == null || !Files.isRegularFile(checkpoint)) return;
        Properties saved = new Properties();
        try (var in = Files.newBufferedReader(checkpoint)) {
            saved.load(in);
            saved.forEach((shard, position) -> positions.put(shard.toString(), position.toString()));
        } catch (IOException unreadable) {
            // start from the beginning: the notifier ignores emails already sent
        }
    }

    private void saveCheckpoint() {
        if (checkpoint == null) return;
        Properties saved = new Properties();
        saved.putAll(positions);
        try (var out = Files.newBufferedWriter(checkpoint)) {
            saved.store(out, "positions in the table's stream, by shard");
        } catch (IOException e) {
            JsonLog.warn("stream_checkpoint_not_saved", Map.of("error", e.getClass().getName()));
        }
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        streams.close();
    }
}
