package mx.prepaidkeys.store;

import static mx.prepaidkeys.store.KeyItems.s;
import static mx.prepaidkeys.store.KeyItems.str;
import static mx.prepaidkeys.store.KeyTable.PK;
import static mx.prepaidkeys.store.KeyTable.SK;

import jakarta.inject.Singleton;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mx.prepaidkeys.config.ServiceSettings;
import mx.prepaidkeys.domain.ActivationTallies;
import mx.prepaidkeys.domain.DistributorId;
import mx.prepaidkeys.domain.KeyId;
import mx.prepaidkeys.domain.KeyRepository.KeyChangedConcurrently;
import mx.prepaidkeys.domain.Timestamps;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The activation report's aggregates: {@code REPORT#ACTIVATIONS#<yyyy-mm>} /
 * {@code <yyyy-mm-dd>#<distributorId>#<sku>} with an {@code activations} counter (Mexico City days,
 * the key's {@code activatedDay}), and one marker per counted key, {@code REPORT#COUNTED#<keyId>} /
 * {@code COUNTED}, put in the same transaction as the ADD on the condition that it is new: a stream
 * record delivered twice counts once. A month's partition holds at most days x distributors x
 * products items; a range of at most 366 days reads 13 of them by Query.
 */
@Singleton
public class DynamoActivationTallies implements ActivationTallies {
    static final String MONTH_PREFIX = "REPORT#ACTIVATIONS#";
    static final String COUNTED_PREFIX = "REPORT#COUNTED#";
    static final String COUNTED_SK = "COUNTED";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoActivationTallies(DynamoDbClient dynamo, ServiceSettings settings) {
        this.dynamo = dynamo;
        this.table = settings.tableName();
    }

    /**
     * The activation a stream record shows (a key item that has an activation and had none: the
     * confirm, ISSUED to AVAILABLE), or null: an assignment or a void of an activated key, a mint, a
     * void of an issued key or any other item is no activation.
     */
    public static Activated activated(Map<String, String> keys, Map<String, String> newImage, Map<String, String> oldImage) {
        if (keys == null || newImage == null || !KeyItems.KEY_SK.equals(keys.get(SK))) return null;
        if (newImage.get("activatedAt") == null) return null;
        if (oldImage != null && oldImage.get("activatedAt") != null) return null;
        String pk = keys.get(PK);
        if (pk == null || !pk.startsWith("KEY#")) return null;
        var keyId = KeyId.parse(pk.substring("KEY#".length()));
        var distributor = DistributorId.parse(newImage.get("distributorId"));
        String sku = newImage.get("productSku");
        LocalDate day;
        try {
            // the day the key's own counters and list use: Mexico City's
            day = KeyItems.day(Timestamps.parse(newImage.get("activatedAt")));
        } catch (RuntimeException unreadable) {
            day = null;
        }
        if (keyId.isEmpty() || distributor.isEmpty() || sku == null || day == null) {
            // only the store writes activations, always with these: a record without them is corrupt, and retried, then dead-lettered
            throw new IllegalStateException("activated key " + pk + " lacks its distributor, product or activation time");
        }
        return new Activated(keyId.get(), day, distributor.get(), sku);
    }

    static String monthPartition(YearMonth month) {
        return MONTH_PREFIX + month;
    }

    static String cell(LocalDate day, DistributorId distributorId, String sku) {
        return day + "#" + distributorId.value() + "#" + sku;
    }

    @Override
    public boolean countOnce(Activated a) {
        String day = a.day().toString();
        var marker = TransactWriteItem.builder().put(p -> p.tableName(table)
                .item(Map.of(PK, s(COUNTED_PREFIX + a.keyId().value()), SK, s(COUNTED_SK), "type", s("REPORT_COUNTED"),
                        "day", s(day), "distributorId", s(a.distributorId().value()), "productSku", s(a.productSku())))
                .conditionExpression("attribute_not_exists(PK)")).build();
        var counter = TransactWriteItem.builder().update(u -> u.tableName(table)
                .key(Map.of(PK, s(monthPartition(YearMonth.from(a.day()))), SK, s(cell(a.day(), a.distributorId(), a.productSku()))))
                .updateExpression("ADD activations :one SET #type = :type, #day = :day, distributorId = :d, productSku = :p")
                .expressionAttributeNames(Map.of("#type", "type", "#day", "day"))
                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"), ":type", s("REPORT_ACTIVATIONS"),
                        ":day", s(day), ":d", s(a.distributorId().value()), ":p", s(a.productSku())))).build();
        try {
            // activations of one day, distributor and product meet on their counter: Transactions retries those
            Transactions.write(dynamo, a.keyId().value(), List.of(marker, counter));
            return true;
        } catch (KeyChangedConcurrently alreadyCounted) {
            return false;
        }
    }

    @Override
    public List<DayTally> days(LocalDate from, LocalDate to) {
        List<DayTally> days = new ArrayList<>();
        for (YearMonth month = YearMonth.from(from); !month.isAfter(YearMonth.from(to)); month = month.plusMonths(1)) {
            String partition = monthPartition(month);
            Map<String, AttributeValue> start = null;
            do {
                Map<String, AttributeValue> after = start;
                // '~' sorts after every character of a distributor id or SKU: the last day's cells are all in
                QueryResponse page = dynamo.query(q -> q.tableName(table)
                        .keyConditionExpression("PK = :pk AND SK BETWEEN :from AND :to")
                        .expressionAttributeValues(Map.of(":pk", s(partition), ":from", s(from.toString()), ":to", s(to + "#~")))
                        .exclusiveStartKey(after));
                for (var item : page.items()) days.add(tally(item));
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (start != null);
        }
        return days;
    }

    static DayTally tally(Map<String, AttributeValue> item) {
        return new DayTally(LocalDate.parse(str(item, "day")), new DistributorId(str(item, "distributorId")), str(item, "productSku"),
                Long.parseLong(item.get("activations").n()));
    }
}
