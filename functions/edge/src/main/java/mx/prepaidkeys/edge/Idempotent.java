package mx.prepaidkeys.edge;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The handler's route honours {@code Idempotency-Key}: the first answer is kept for 24 hours and
 * replayed to retries of the same request (see {@link ApiHandler}). The function also needs
 * {@code dynamodb:PutItem}, {@code GetItem}, {@code UpdateItem} and {@code DeleteItem} on the table.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Idempotent {}
