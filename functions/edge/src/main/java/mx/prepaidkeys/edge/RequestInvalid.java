package mx.prepaidkeys.edge;

import java.util.List;

/**
 * Bad input found at the edge (body or query): answered 400 {@code REQUEST_INVALID}, naming every
 * offending field, before anything is read or written.
 */
public final class RequestInvalid extends RuntimeException {
    private final transient List<FieldError> errors;

    public RequestInvalid(List<FieldError> errors) {
        super("invalid request: " + errors.stream().map(FieldError::field).toList(), null, false, false);
        if (errors.isEmpty()) throw new IllegalArgumentException("no errors");
        this.errors = List.copyOf(errors);
    }

    public RequestInvalid(String field, String messageKey, Object... arguments) {
        this(List.of(new FieldError(field, messageKey, arguments)));
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** @param messageKey a {@code request.*} key of the message bundles; its {0} is the field name */
    public record FieldError(String field, String messageKey, Object... arguments) {}

    /** An argument that is itself a message to translate, such as the reason a query parameter is refused. */
    public record Text(String messageKey) {}
}
