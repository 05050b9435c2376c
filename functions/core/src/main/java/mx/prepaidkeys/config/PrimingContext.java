package mx.prepaidkeys.config;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;

/**
 * The Lambda context priming invokes handlers with, so that the warm-up runs {@code handleRequest}
 * as Lambda does (micronaut-function-aws's per-invocation path included), not only the handler's
 * {@code execute}.
 */
public final class PrimingContext implements Context {
    public static final PrimingContext INSTANCE = new PrimingContext();

    private PrimingContext() {}

    @Override public String getAwsRequestId() { return "priming"; }
    @Override public String getLogGroupName() { return "priming"; }
    @Override public String getLogStreamName() { return "priming"; }
    @Override public String getFunctionName() { return "priming"; }
    @Override public String getFunctionVersion() { return "$LATEST"; }
    @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:000000000000:function:priming"; }
    @Override public CognitoIdentity getIdentity() { return null; }
    @Override public ClientContext getClientContext() { return null; }
    @Override public int getRemainingTimeInMillis() { return 30_000; }
    @Override public int getMemoryLimitInMB() { return 1024; }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override public void log(String message) { }
            @Override public void log(byte[] message) { log(new String(message, StandardCharsets.UTF_8)); }
        };
    }
}
