package mx.prepaidkeys.store;

import static mx.prepaidkeys.store.KeyItems.s;
import static mx.prepaidkeys.store.KeyItems.str;
import static mx.prepaidkeys.store.KeyTable.PK;
import static mx.prepaidkeys.store.KeyTable.SK;

import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import mx.prepaidkeys.config.ServiceSettings;
import mx.prepaidkeys.domain.AuditEntry;
import mx.prepaidkeys.domain.AuditLog;
import mx.prepaidkeys.domain.Timestamps;
import mx.prepaidkeys.domain.UserId;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The audit log: {@code AUDIT#<yyyy-mm>} (UTC month) / {@code <at>#<requestId>}, written once with
 * {@code attribute_not_exists} and never updated or deleted (the functions' policies may only put
 * into {@code AUDIT#*}). A month's partition holds the back office's writes of that month: a few
 * thousand items, read newest first by a Query per month of the asked range.
 */
@Singleton
public class DynamoAuditLog implements AuditLog {
    static final String PREFIX = "AUDIT#";
    /** Queries per page at most: a narrow filter over a long range answers a shorter page with a cursor. */
    private static final int READS_PER_PAGE = 20;

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoAuditLog(DynamoDbClient dynamo, ServiceSettings settings) {
        this.dynamo = dynamo;
        this.table = settings.tableName();
    }

    @Override
    public void append(AuditEntry entry) {
        String at = Timestamps.format(entry.at());
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s(PREFIX + month(entry.at())));
        item.put(SK, s(at + "#" + entry.requestId()));
        item.put("type", s("AUDIT"));
        item.put("at", s(at));
        item.put("actorSub", s(entry.actorSub().value()));
        if (entry.actorUsername() != null) item.put("actorUsername", s(entry.actorUsername()));
        item.put("action", s(entry.action()));
        item.put("target", s(entry.target()));
        item.put("requestId", s(entry.requestId()));
        dynamo.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(PK)"));
    }

    @Override
    public Page page(Instant from, Instant to, String actor, String action, int limit, String after) {
        List<AuditEntry> entries = new ArrayList<>();
        String upper = after != null ? after : Timestamps.format(to);
        YearMonth first = YearMonth.from(from.atZone(ZoneOffset.UTC));
        YearMonth month = YearMonth.parse(upper.substring(0, 7));
        int reads = 0;
        Map<String, AttributeValue> start = null;
        String resumeAt = null;
        while (!month.isBefore(first) && reads < READS_PER_PAGE) {
            Map<String, String> names = new HashMap<>(Map.of("#pk", PK, "#sk", SK));
            Map<String, AttributeValue> values = new HashMap<>(Map.of(":pk", s(PREFIX + month), ":from", s(Timestamps.format(from)),
                    ":upper", s(upper)));
            List<String> filters = new ArrayList<>();
            if (actor != null) {
                filters.add("(actorUsername = :actor OR actorSub = :actor)");
                values.put(":actor", s(actor));
            }
            if (action != null) {
                filters.add("#action = :action");
                names.put("#action", "action");
                values.put(":action", s(action));
            }
            var builder = QueryRequest.builder().tableName(table)
                    .keyConditionExpression("#pk = :pk AND #sk BETWEEN :from AND :upper")
                    .expressionAttributeNames(names).expressionAttributeValues(values)
                    .scanIndexForward(false).limit(limit + 1).exclusiveStartKey(start);
            if (!filters.isEmpty()) builder.filterExpression(String.join(" AND ", filters));
            QueryResponse response = dynamo.query(builder.build());
            reads++;
            for (var item : response.items()) {
                if (item.get(SK).s().equals(after)) continue; // BETWEEN includes the bound: the previous page's last
                entries.add(toEntry(item));
                if (entries.size() == limit + 1) return new Page(entries.subList(0, limit), sortKey(entries.get(limit - 1)));
            }
            if (response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()) {
                start = response.lastEvaluatedKey();
                resumeAt = start.get(SK).s();
            } else {
                start = null;
                month = month.minusMonths(1);
                // "~" sorts after every "<at>#<requestId>" of the month's last millisecond
                resumeAt = month.atEndOfMonth() + "T23:59:59.999Z~";
                upper = resumeAt;
            }
        }
        // The read budget ran out before the range did: the next page goes on below what was read.
        return new Page(entries, month.isBefore(first) ? null : resumeAt);
    }

    private static String sortKey(AuditEntry entry) {
        return Timestamps.format(entry.at()) + "#" + entry.requestId();
    }

    private static String month(Instant at) {
        return YearMonth.from(at.atZone(ZoneOffset.UTC)).toString();
    }

    private static AuditEntry toEntry(Map<String, AttributeValue> item) {
        return new AuditEntry(Timestamps.parse(str(item, "at")), new UserId(str(item, "actorSub")), str(item, "actorUsername"),
                str(item, "action"), str(item, "target"), str(item, "requestId"));
    }
}
