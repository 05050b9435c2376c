package mx.prepaidkeys.api.list;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import mx.prepaidkeys.domain.PrepaidKey;
import mx.prepaidkeys.domain.Timestamps;
import mx.prepaidkeys.edge.KeyView;
import mx.prepaidkeys.i18n.Language;
import mx.prepaidkeys.i18n.Messages;

/** "Columnas": what a row of "Claves prepago" can show, as JSON and as a CSV cell. */
enum Column {
    maskedKey((key, at) -> key.maskedKey()),
    product((key, at) -> Map.of("sku", key.productSku(), "name", key.productName())),
    status((key, at) -> key.status(at).name()),
    clientRfc((key, at) -> key.assignment() == null ? null : key.assignment().client().rfc()),
    clientName((key, at) -> key.assignment() == null ? null : key.assignment().client().name()),
    activatedAt((key, at) -> key.activation() == null ? null : key.activation().activatedAt()),
    activatedBy((key, at) -> key.activation() == null ? null : KeyView.actor(key.activation().username(), key.activation().userSub())),
    assignedAt((key, at) -> key.assignment() == null ? null : key.assignment().assignedAt()),
    expiresAt((key, at) -> key.expiresAt());

    private static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm").withZone(Timestamps.MEXICO_CITY);
    private final BiFunction<PrepaidKey, Instant, Object> value;

    Column(BiFunction<PrepaidKey, Instant, Object> value) {
        this.value = value;
    }

    /** A row as JSON: the key id, then the chosen columns that have a value. */
    static Map<String, Object> json(PrepaidKey key, Iterable<Column> columns, Instant at) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("keyId", key.keyId().value());
        for (Column column : columns) {
            Object value = column.value.apply(key, at);
            if (value instanceof Instant instant) value = Timestamps.format(instant);
            if (value != null) row.put(column.name(), value);
        }
        return row;
    }

    String header(Language language) {
        return Messages.get(language, "csv." + name());
    }

    /** A cell for people with a spreadsheet: statuses in words, times in Mexico City, the product by name. */
    String cell(PrepaidKey key, Instant at, Language language) {
        Object value = this.value.apply(key, at);
        return switch (this) {
            case status -> Messages.get(language, "status." + value);
            case product -> key.productName();
            default -> value == null ? "" : value instanceof Instant instant ? LOCAL_TIME.format(instant) : value.toString();
        };
    }
}
