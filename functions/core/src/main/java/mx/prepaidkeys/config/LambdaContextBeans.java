package mx.prepaidkeys.config;

import com.amazonaws.services.lambda.runtime.Context;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.function.aws.DefaultLambdaContextFactory;
import io.micronaut.function.aws.LambdaContextFactory;
import jakarta.inject.Singleton;

/**
 * micronaut-function-aws registers the Lambda {@code Context} and its parts as beans on every
 * invocation. Nothing here injects them, and the registration searched every bean definition each
 * time: half of a warm capture's time in a profile (make bench). This does nothing instead.
 */
@Singleton
@Replaces(DefaultLambdaContextFactory.class)
@Requires(classes = LambdaContextFactory.class)
public class LambdaContextBeans implements LambdaContextFactory {

    @Override
    public void registerSingletons(Context context) {
        // the functions read the request from the event, never from the Lambda context
    }
}
