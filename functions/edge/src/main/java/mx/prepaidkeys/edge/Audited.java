package mx.prepaidkeys.edge;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The route is a back-office write: once it answers 2xx, {@link ApiHandler} appends an entry to the
 * audit log (the admin, {@code action}, the target, when, the request id), before the answer goes out
 * and before an Idempotency-Key keeps it (a replay writes nothing, so it appends nothing). An entry
 * that cannot be written fails the request (503): the write is repeatable and its retry appends it.
 * The function also needs {@code dynamodb:PutItem} on {@code AUDIT#*}, and nothing else there.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Audited {
    /** What was done, in the log's words: {@code PRODUCT_SAVED}, {@code BATCH_VOIDED}, ... */
    String action();

    /** The path parameter that names the target; empty when the handler says it ({@link ApiHandler#auditTarget}). */
    String target() default "";
}
