package mx.prepaidkeys.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a Lambda handler needs from its deployment. The template contract test holds template.yaml
 * to it: the function's IAM policy grants exactly {@link #awsActions()}, its writes to the table
 * only on {@link #writesPartitions()}, and its environment has every variable of {@link #environment()}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface AwsFunction {

    /** The IAM actions the function's code calls, e.g. {@code dynamodb:GetItem}. */
    String[] awsActions();

    /** The environment variables the function reads at start. */
    String[] environment();

    /**
     * The partition keys the function writes, as {@code dynamodb:LeadingKeys} patterns
     * ({@code ATTEMPTS#*}): its policy allows its table writes on those partitions only. Empty for a
     * function that writes nothing.
     */
    String[] writesPartitions() default {};
}
