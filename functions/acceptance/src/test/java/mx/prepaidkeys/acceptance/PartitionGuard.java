package mx.prepaidkeys.acceptance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import mx.prepaidkeys.config.AwsFunction;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * IAM's {@code dynamodb:LeadingKeys} condition in the test JVM: every DynamoDB write a function
 * makes (found by the {@link AwsFunction} class on the call stack) must go to a partition the
 * function declares in {@link AwsFunction#writesPartitions()}, which the template contract test
 * holds its policy to. A write elsewhere is refused as AWS would refuse it (AccessDeniedException),
 * so the test that caused it fails, and it is kept in {@link #VIOLATIONS}. Writes by test fixtures
 * and the seed (no function on the stack) pass. Registered for every SDK client on the test class
 * path by {@code software/amazon/awssdk/global/handlers/execution.interceptors}.
 */
public final class PartitionGuard implements ExecutionInterceptor {
    static final List<String> VIOLATIONS = new CopyOnWriteArrayList<>();
    /** Writes by functions checked in this run (printed at the end). */
    static final java.util.concurrent.atomic.AtomicInteger CHECKED = new java.util.concurrent.atomic.AtomicInteger();
    private static final StackWalker STACK = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        List<String> partitions = writtenPartitions(context.request());
        if (partitions.isEmpty()) return;
        Optional<Class<?>> function = STACK.walk(frames -> frames.<Class<?>>map(StackWalker.StackFrame::getDeclaringClass)
                .filter(type -> type.isAnnotationPresent(AwsFunction.class)).findFirst());
        if (function.isEmpty()) return;
        String[] allowed = function.get().getAnnotation(AwsFunction.class).writesPartitions();
        CHECKED.incrementAndGet();
        for (String partition : partitions) {
            if (!matchesAny(partition, allowed)) {
                String violation = function.get().getSimpleName() + " wrote to " + partition + " outside " + List.of(allowed);
                VIOLATIONS.add(violation);
                throw DynamoDbException.builder().statusCode(400).message(violation)
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDeniedException").errorMessage(violation).build())
                        .build();
            }
        }
    }

    /** IAM's StringLike with {@code *} at the end, which is all the template uses. */
    static boolean matchesAny(String partition, String[] patterns) {
        for (String pattern : patterns) {
            if (pattern.endsWith("*") ? partition.startsWith(pattern.substring(0, pattern.length() - 1)) : partition.equals(pattern)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> writtenPartitions(Object request) {
        List<String> partitions = new ArrayList<>();
        switch (request) {
            case PutItemRequest put -> add(partitions, put.item());
            case UpdateItemRequest update -> add(partitions, update.key());
            case DeleteItemRequest delete -> add(partitions, delete.key());
            case TransactWriteItemsRequest transaction -> transaction.transactItems().forEach(item -> {
                if (item.put() != null) add(partitions, item.put().item());
                if (item.update() != null) add(partitions, item.update().key());
                if (item.delete() != null) add(partitions, item.delete().key());
            });
            case BatchWriteItemRequest batch -> batch.requestItems().values().forEach(writes -> writes.forEach(write -> {
                if (write.putRequest() != null) add(partitions, write.putRequest().item());
                if (write.deleteRequest() != null) add(partitions, write.deleteRequest().key());
            }));
            default -> { }
        }
        return partitions;
    }

    private static void add(List<String> partitions, Map<String, AttributeValue> item) {
        AttributeValue pk = item == null ? null : item.get("PK");
        if (pk != null && pk.s() != null) partitions.add(pk.s());
    }
}
