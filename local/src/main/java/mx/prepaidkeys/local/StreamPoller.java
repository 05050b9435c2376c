package mx.prepaidkeys.local;

import mx.prepaidkeys.config.LocalLambdaContext;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import mx.prepaidkeys.log.JsonLog;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * What Lambda's DynamoDB stream event source does, locally: reads the table's stream shard by
 * shard, hands the new records to the function as a {@link DynamodbEvent} of up to 100, and on a
 * failure retries from the failed record (five times, with a growing wait) before giving up on it,
 * as a function with {@code MaximumRetryAttempts: 5} would. The position is kept in a checkpoint
 * file, so a restarted stack goes on where it stopped.
 */
public final class StreamPoller implements AutoCloseable {
    private static final int BATCH = 100;
    private static final int RETRIES = 5;

    private final DynamoDbStreamsClient streams;
    private final String streamArn;
    private final RequestHandler<DynamodbEvent, StreamsEventResponse> function;
    private final Path checkpoint;
    private final Map<String, String> positions = new LinkedHashMap<>();
    private final Map<String, String> iterators = new HashMap<>();
    private Thread thread;
    private volatile boolean running;
    private volatile boolean paused;

    /** @param checkpoint where positions are kept between runs, or null to start from the stream's beginning each time */
    public StreamPoller(DynamoDbStreamsClient streams, String streamArn, RequestHandler<DynamodbEvent, StreamsEventResponse> function,
                        Path checkpoint) {
        this.streams = streams;
        this.streamArn = streamArn;
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
            for (int i = 0; i < records.size(); i += BATCH) {
                deliver(shard.shardId(), records.subList(i, Math.min(records.size(), i + BATCH)));
            }
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

    /** Delivers a batch; a failed record and those after it go again, up to {@link #RETRIES} times. */
    private void deliver(String shardId, List<Record> batch) {
        int start = 0;
        int failures = 0;
        while (start < batch.size()) {
            List<Record> pending = batch.subList(start, batch.size());
            String failedAt = invoke(pending);
            if (failedAt == null) {
                positions.put(shardId, pending.getLast().dynamodb().sequenceNumber());
                return;
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
            if (++failures > RETRIES) {
                JsonLog.error("stream_record_dead_lettered", Map.of("sequenceNumber", failedAt));
                positions.put(shardId, failedAt);
                start++;
                failures = 0;
                continue;
            }
            try {
                Thread.sleep(200L << (failures - 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** @return the sequence number of the first record the function failed on, or null */
    private String invoke(List<Record> records) {
        try {
            StreamsEventResponse response = function.handleRequest(event(records),
                    new LocalLambdaContext(UUID.randomUUID().toString(), "NotifierFunction"));
            if (response != null && response.getBatchItemFailures() != null && !response.getBatchItemFailures().isEmpty()) {
                return response.getBatchItemFailures().getFirst().getItemIdentifier();
            }
            return null;
        } catch (RuntimeException e) {
            return records.getFirst().dynamodb().sequenceNumber();
        }
    }

    private DynamodbEvent event(List<Record> records) {
        List<DynamodbEvent.DynamodbStreamRecord> converted = new ArrayList<>();
        for (Record record : records) {
            var streamRecord = new StreamRecord();
            streamRecord.setKeys(convert(record.dynamodb().keys()));
            if (record.dynamodb().hasNewImage()) streamRecord.setNewImage(convert(record.dynamodb().newImage()));
            if (record.dynamodb().hasOldImage()) streamRecord.setOldImage(convert(record.dynamodb().oldImage()));
            streamRecord.setSequenceNumber(record.dynamodb().sequenceNumber());
            streamRecord.setSizeBytes(record.dynamodb().sizeBytes());
            streamRecord.setStreamViewType(com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType.fromValue(record.dynamodb().streamViewTypeAsString()));
            var converted1 = new DynamodbEvent.DynamodbStreamRecord();
            converted1.setEventID(record.eventID());
            converted1.setEventName(record.eventNameAsString());
            converted1.setEventSource("aws:dynamodb");
            converted1.setEventSourceARN(streamArn);
            converted1.setAwsRegion("us-east-1");
            converted1.setDynamodb(streamRecord);
            converted.add(converted1);
        }
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(converted);
        return event;
    }

    private static Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> convert(Map<String, AttributeValue> item) {
        Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> out = new HashMap<>();
        item.forEach((name, value) -> out.put(name, convert(value)));
        return out;
    }

    private static com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue convert(AttributeValue value) {
        var out = new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue();
        if (value.s() != null) out.setS(value.s());
        else if (value.n() != null) out.setN(value.n());
        else if (value.b() != null) out.setB(ByteBuffer.wrap(value.b().asByteArray()));
        else if (value.bool() != null) out.setBOOL(value.bool());
        else if (value.nul() != null) out.setNULL(value.nul());
        else if (value.hasM()) out.setM(convert(value.m()));
        else if (value.hasL()) out.setL(value.l().stream().map(StreamPoller::convert).toList());
        else if (value.hasSs()) out.setSS(value.ss());
        else if (value.hasNs()) out.setNS(value.ns());
        return out;
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
        if (function instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // stopping anyway
            }
        }
    }
}
