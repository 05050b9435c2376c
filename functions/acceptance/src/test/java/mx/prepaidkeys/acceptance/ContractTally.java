package mx.prepaidkeys.acceptance;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints how much of the API the OpenAPI document was checked against, once, when the test plan ends:
 * a JVM shutdown hook runs after Surefire has stopped reading the fork's output, so its line was lost.
 */
public final class ContractTally implements TestExecutionListener {

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        if (OpenApiContract.REQUESTS_CHECKED.get() + OpenApiContract.RESPONSES_CHECKED.get() > 0) {
            System.out.printf("openapi contract: %d requests and %d responses checked against docs/openapi.yaml%n",
                    OpenApiContract.REQUESTS_CHECKED.get(), OpenApiContract.RESPONSES_CHECKED.get());
        }
        if (PartitionGuard.CHECKED.get() > 0) {
            System.out.printf("leading keys: %d table writes by functions checked against their declared partitions, %d outside%s%n",
                    PartitionGuard.CHECKED.get(), PartitionGuard.VIOLATIONS.size(),
                    PartitionGuard.VIOLATIONS.isEmpty() ? "" : ": " + PartitionGuard.VIOLATIONS);
        }
    }
}
