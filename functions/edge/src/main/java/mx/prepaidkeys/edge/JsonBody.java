package mx.prepaidkeys.edge;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import mx.prepaidkeys.domain.TextPolicy;

/**
 * A request body read strictly: one JSON object, no duplicate names, bounded nesting, and then
 * typed reads that name the field that is missing, mistyped, too long or unknown. Text people read
 * ({@link #name}, {@link #title}, {@link #line}, {@link #text}) is held to {@link TextPolicy}; other
 * strings (keys, versions, URLs) only to being visible. Every problem of the body is reported at
 * once (the answer lists the first 20), so a client fixes them in one round trip.
 */
public final class JsonBody {
    public static final int MAX_DEPTH = 8;
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).maxNumberLength(32).build())
            .build();
    private static final Object NULL = new Object();

    private final String path;
    private final Map<String, Object> fields;
    private final List<RequestInvalid.FieldError> errors;
    private final Set<String> read = new HashSet<>();
    private final List<JsonBody> children = new ArrayList<>();

    private JsonBody(String path, Map<String, Object> fields, List<RequestInvalid.FieldError> errors) {
        this.path = path;
        this.fields = fields;
        this.errors = errors;
    }

    /** Parses a body that must be a JSON object. */
    public static JsonBody parse(byte[] body) {
        if (body == null || body.length == 0) throw new RequestInvalid("body", "request.emptyBody");
        try (JsonParser parser = FACTORY.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                if (first == null) throw new RequestInvalid("body", "request.emptyBody");
                throw new RequestInvalid("body", "request.notObject");
            }
            List<RequestInvalid.FieldError> errors = new ArrayList<>();
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = (Map<String, Object>) readValue(parser, "", errors);
            if (parser.nextToken() != null) throw new RequestInvalid("body", "request.malformedJson");
            if (!errors.isEmpty()) throw new RequestInvalid(errors);
            return new JsonBody("", fields, new ArrayList<>());
        } catch (StreamConstraintsException tooDeep) {
            throw new RequestInvalid("body", "request.tooDeep");
        } catch (IOException malformed) {
            throw new RequestInvalid("body", "request.malformedJson");
        }
    }

    private static Object readValue(JsonParser parser, String path, List<RequestInvalid.FieldError> errors) throws IOException {
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    Object value = readValue(parser, path + name + ".", errors);
                    if (map.putIfAbsent(name, value) != null) {
                        errors.add(new RequestInvalid.FieldError(path + name, "request.duplicateField"));
                    }
                }
                return map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) list.add(readValue(parser, path, errors));
                return list;
            }
            case VALUE_STRING -> {
                return parser.getText();
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return parser.getBooleanValue();
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return parser.getDecimalValue();
            }
            case VALUE_NULL -> {
                return NULL;
            }
            default -> throw new IOException("unexpected token " + token);
        }
    }

    /** A required, non-blank string of at most {@code maxLength} characters, without control characters. */
    public String string(String name, int maxLength) {
        return checkedString(name, take(name), maxLength, false);
    }

    /**
     * Multi-line text people read (a licence's text), held to {@link TextPolicy} ({@code TEXT}):
     * new lines and tabs allowed, in NFC.
     */
    public String text(String name, int maxLength) {
        return humanText(name, take(name), maxLength, TextPolicy.Kind.TEXT);
    }

    /** One line of text people read as the name of a thing (a product's name, a licence's title), held to {@link TextPolicy}. */
    public String title(String name, int maxLength) {
        return humanText(name, take(name), maxLength, TextPolicy.Kind.TITLE);
    }

    /** One line of free text people read (a description, a reason), held to {@link TextPolicy}. */
    public String line(String name, int maxLength) {
        return humanText(name, take(name), maxLength, TextPolicy.Kind.LINE);
    }

    /** Like {@link #line}, but it may be absent or null (then null): a batch's note. */
    public String optionalLine(String name, int maxLength) {
        Object value = takeOptional(name);
        return value == null ? null : humanText(name, value, maxLength, TextPolicy.Kind.LINE);
    }

    /**
     * An email address that may be absent or null (then null): one {@code @}, a dot in the domain, no
     * spaces, and ASCII but for letters of a name (what SES sends to).
     */
    public String optionalEmail(String name, int maxLength) {
        String text = optionalString(name, maxLength);
        if (text == null) return null;
        if (!EMAIL.matcher(text).matches()) return error(name, "request.email");
        return text;
    }

    private static final java.util.regex.Pattern EMAIL =
            java.util.regex.Pattern.compile("[\\p{L}0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[\\p{L}0-9-]+(\\.[\\p{L}0-9-]+)+");

    /** A string that may be absent or null (then null). */
    public String optionalString(String name, int maxLength) {
        Object value = takeOptional(name);
        return value == null ? null : checkedString(name, value, maxLength, false);
    }

    private String checkedString(String name, Object value, int maxLength, boolean multiLine) {
        if (value == null) return null;
        if (!(value instanceof String text)) return error(name, "request.string");
        if (text.length() > maxLength) return error(name, "request.tooLong", maxLength);
        if (text.isBlank()) return error(name, "request.blank");
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            boolean allowed = multiLine && (c == '\n' || c == '\r' || c == '\t');
            if (Character.isISOControl(c) && !allowed) return error(name, "request.controlCharacters");
            if (!visible(c)) return error(name, "request.controlCharacters");
        }
        return text;
    }

    /**
     * A person's or company's name, held to {@link TextPolicy} ({@code NAME}): it is printed on
     * invoices and searched by prefix, so "Ferretería 🔨", "x'; DROP TABLE--", a Hangul filler or a
     * Cyrillic look-alike is refused, naming the field.
     */
    public String name(String name, int maxLength) {
        return humanText(name, take(name), maxLength, TextPolicy.Kind.NAME);
    }

    private String humanText(String name, Object value, int maxLength, TextPolicy.Kind kind) {
        if (value == null) return null;
        if (!(value instanceof String typed)) return error(name, "request.string");
        if (typed.length() > maxLength) return error(name, "request.tooLong", maxLength);
        if (typed.isBlank()) return error(name, "request.blank");
        TextPolicy.Checked checked = TextPolicy.check(typed, kind);
        if (!checked.accepted()) return error(name, refusalMessage(checked.refusal(), kind), TextPolicy.MAX_MARKS);
        // NFC can lengthen a text (a few characters decompose): the limit holds for what is stored.
        if (checked.text().length() > maxLength) return error(name, "request.tooLong", maxLength);
        return checked.text();
    }

    /** The message of a refusal; {1} of the marks message is {@link TextPolicy#MAX_MARKS}. */
    static String refusalMessage(TextPolicy.Refusal refusal, TextPolicy.Kind kind) {
        return switch (refusal) {
            case CONTROL -> "request.controlCharacters";
            case INVISIBLE -> "request.text.invisible";
            case MARKS -> "request.text.marks";
            case COMPATIBILITY -> "request.text.compatibility";
            case MIXED_SCRIPTS -> "request.text.mixedScripts";
            case CHARACTERS -> kind == TextPolicy.Kind.NAME ? "request.nameCharacters" : "request.text.characters";
        };
    }

    /**
     * Refuses what would be stored and shown but not seen, or seen as something else: lone
     * surrogates, unassigned and private-use code points, and format characters (zero-width
     * spaces, right-to-left overrides that make "exe.pdf" read "fdp.exe").
     */
    private static boolean visible(int c) {
        return switch (Character.getType(c)) {
            case Character.SURROGATE, Character.UNASSIGNED, Character.PRIVATE_USE, Character.FORMAT -> false;
            default -> true;
        };
    }

    /** A required whole number between {@code min} and {@code max}; {@code min - 1} when it is not (the error is recorded). */
    public int integer(String name, int min, int max) {
        Object value = take(name);
        if (value == null) return min - 1;
        if (value instanceof java.math.BigDecimal number) {
            try {
                int whole = number.intValueExact();
                if (whole >= min && whole <= max) return whole;
            } catch (ArithmeticException notWhole) {
                // answered below
            }
        }
        error(name, "request.range", min, max);
        return min - 1;
    }

    /** An optional boolean ({@code fallback} when absent). */
    public boolean optionalBool(String name, boolean fallback) {
        Object value = takeOptional(name);
        if (value == null) return fallback;
        if (!(value instanceof Boolean flag)) {
            error(name, "request.boolean");
            return fallback;
        }
        return flag;
    }

    /** An optional ISO 8601 date-time with an offset ({@code 2027-12-31T23:59:59-06:00}), or null. */
    public java.time.Instant optionalInstant(String name) {
        Object value = takeOptional(name);
        if (value == null) return null;
        if (value instanceof String text && text.length() <= 40) {
            try {
                return java.time.OffsetDateTime.parse(text).toInstant();
            } catch (java.time.format.DateTimeParseException notADate) {
                // answered below
            }
        }
        return error(name, "request.dateTime");
    }

    /** Records an error found by the caller's own check of a field's value (a pattern, a range). */
    public void reject(String name, String messageKey, Object... arguments) {
        error(name, messageKey, arguments);
    }

    /** A required boolean; {@code false} when it is missing or mistyped (the error is recorded). */
    public boolean bool(String name) {
        Object value = take(name);
        if (value == null) return false;
        if (!(value instanceof Boolean flag)) {
            error(name, "request.boolean");
            return false;
        }
        return flag;
    }

    /** A required nested object, read with the same rules; its fields are named {@code name.field}. */
    public JsonBody object(String name) {
        Object value = take(name);
        Map<String, Object> nested = Map.of();
        if (value instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> fieldsOfValue = (Map<String, Object>) map;
            nested = fieldsOfValue;
        } else if (value != null) {
            error(name, "request.object");
        }
        JsonBody child = new JsonBody(path + name + ".", nested, errors);
        children.add(child);
        return child;
    }

    /**
     * Ends the reading: any field not asked for is unknown. Throws with every error found in this
     * body and the objects read from it.
     */
    public void end() {
        collectUnknown();
        if (!errors.isEmpty()) throw new RequestInvalid(errors);
    }

    private void collectUnknown() {
        children.forEach(JsonBody::collectUnknown);
        for (String name : fields.keySet()) {
            if (!read.contains(name)) errors.add(new RequestInvalid.FieldError(path + name, "request.unknownField"));
        }
    }

    private Object takeOptional(String name) {
        read.add(name);
        Object value = fields.get(name);
        return value == NULL ? null : value;
    }

    private Object take(String name) {
        read.add(name);
        Object value = fields.get(name);
        if (value == null || value == NULL) {
            errors.add(new RequestInvalid.FieldError(path + name, "request.required"));
            return null;
        }
        return value;
    }

    private <T> T error(String name, String key, Object... arguments) {
        errors.add(new RequestInvalid.FieldError(path + name, key, arguments));
        return null;
    }
}
