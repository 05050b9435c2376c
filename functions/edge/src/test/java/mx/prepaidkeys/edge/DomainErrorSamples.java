package mx.prepaidkeys.edge;

import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import mx.prepaidkeys.domain.DomainError;
import mx.prepaidkeys.domain.KeyId;

/** One instance of every kind of refusal, its components filled with something of their type. */
public final class DomainErrorSamples {
    private DomainErrorSamples() {}

    public static List<DomainError> everyKind() {
        return Arrays.stream(DomainError.class.getPermittedSubclasses()).map(DomainErrorSamples::instance).toList();
    }

    private static DomainError instance(Class<?> type) {
        try {
            RecordComponent[] components = type.getRecordComponents();
            Class<?>[] types = new Class<?>[components.length];
            Object[] values = new Object[components.length];
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                values[i] = sample(types[i]);
            }
            return (DomainError) type.getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type.getName(), e);
        }
    }

    private static Object sample(Class<?> type) {
        if (type.isEnum()) return type.getEnumConstants()[0];
        if (type == String.class) return "held";
        if (type == Instant.class) return Instant.parse("2026-11-25T19:00:00Z");
        if (type == Duration.class) return Duration.ofSeconds(60);
        if (type == int.class) return 7;
        if (type == KeyId.class) return new KeyId("00000000000000000000000007");
        throw new IllegalArgumentException("no sample of " + type + ": add one here");
    }
}
