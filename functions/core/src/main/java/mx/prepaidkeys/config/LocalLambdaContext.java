package mx.prepaidkeys.config;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;

/** The Lambda context a handler gets when it runs in-process: SnapStart priming, the local gateway, `make invoke`, tests. */
public record LocalLambdaContext(String awsRequestId, String functionName, int remainingMillis) implements Context {
    /** The template's Globals timeout, 15 s. */
    public LocalLambdaContext(String awsRequestId, String functionName) {
        this(awsRequestId, functionName, 15_000);
    }

    @Override public String getAwsRequestId() { return awsRequestId; }
    @Override public String getLogGroupName() { return "/aws/lambda/" + functionName; }
    @Override public String getLogStreamName() { return "local"; }
    @Override public String getFunctionName() { return functionName; }
    @Override public String getFunctionVersion() { return "$LATEST"; }
    @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:000000000000:function:" + functionName; }
    @Override public CognitoIdentity getIdentity() { return null; }
    @Override public ClientContext getClientContext() { return null; }
    @Override public int getRemainingTimeInMillis() { return remainingMillis; }
    @Override public int getMemoryLimitInMB() { return 1024; }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override public void log(String message) { System.out.print(message); }
            @Override public void log(byte[] message) { System.out.print(new String(message, StandardCharsets.UTF_8)); }
        };
    }
}
