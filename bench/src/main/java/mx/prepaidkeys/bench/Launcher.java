package mx.prepaidkeys.bench;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The child JVM of {@link StartBenchmark}: one Lambda container, started with the runtime's flags
 * on the function's own deployment classpath. It times its init and invokes as the Lambda runtime
 * does (events deserialised by the runtime's serialiser, outside the timed handler call) and prints
 * one {@code BENCH} line.
 *
 * <p>Arguments: {@code function|floor <LogicalId> <handlerClass> cold|primed|warm <events file> <spawn nanoTime>}.
 * On Linux {@code System.nanoTime} is the system-wide monotonic clock, so the parent's spawn time and
 * the child's clock compare.
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) throws Exception {
        long mainAt = System.nanoTime();
        String variant = args[0];
        String logicalId = args[1];
        String handlerClass = args[2];
        String mode = args[3];
        List<String> events = Files.readAllLines(Path.of(args[4]));
        boolean stream = logicalId.equals("NotifierFunction") || logicalId.equals("ReportTallyFunction");

        Object handler = variant.equals("floor") ? Floors.create(logicalId)
                : Class.forName(handlerClass).getConstructor().newInstance();
        long initAt = System.nanoTime();
        if (mode.equals("primed") && variant.equals("function")) {
            handler.getClass().getMethod("primeNow").invoke(handler);
        }
        long primedAt = System.nanoTime();

        var serializer = stream ? null : LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, Launcher.class.getClassLoader());
        var streamSerializer = stream ? LambdaEventSerializers.serializerFor(DynamodbEvent.class, Launcher.class.getClassLoader()) : null;
        int measured = mode.equals("warm") ? events.size() : 1;
        long[] invokes = new long[measured];
        int failures = 0;
        String lastStatus = "";
        for (int i = 0; i < measured; i++) {
            String json = events.get(i);
            Object event = stream ? streamSerializer.fromJson(json) : serializer.fromJson(json);
            long started = System.nanoTime();
            Object response = invoke(handler, event);
            invokes[i] = System.nanoTime() - started;
            if (response instanceof APIGatewayV2HTTPResponse http) {
                lastStatus = Integer.toString(http.getStatusCode());
                if (http.getStatusCode() >= 300) {
                    failures++;
                    if (failures == 1) System.err.println(logicalId + " " + variant + " answered " + http.getStatusCode() + ": " + http.getBody());
                }
            }
        }
        long doneAt = System.nanoTime();
        long classes = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
        long rssKb = rssKb();
        long p50 = 0;
        long p99 = 0;
        if (mode.equals("warm")) {
            int warmUp = Math.min(200, measured / 10);
            long[] timed = Arrays.copyOfRange(invokes, warmUp, measured);
            Arrays.sort(timed);
            p50 = timed[timed.length / 2];
            p99 = timed[(int) Math.ceil(timed.length * 0.99) - 1];
        }
        System.out.printf("BENCH {\"mainAt\":%d,\"initAt\":%d,\"primedAt\":%d,\"firstInvokeNanos\":%d,\"doneAt\":%d,\"classes\":%d,"
                        + "\"rssKb\":%d,\"p50Nanos\":%d,\"p99Nanos\":%d,\"failures\":%d,\"status\":\"%s\",\"invokes\":%d}%n",
                mainAt, initAt, primedAt, invokes[0], doneAt, classes, rssKb, p50, p99, failures, lastStatus, measured);
        System.out.flush();
        System.exit(0);
    }

    @SuppressWarnings("unchecked")
    private static Object invoke(Object handler, Object event) {
        return ((RequestHandler<Object, Object>) handler).handleRequest(event, CONTEXT);
    }

    private static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
            }
        } catch (java.io.IOException ignored) {
            // not Linux: no figure
        }
        return -1;
    }

    private static final Context CONTEXT = new Context() {
        public String getAwsRequestId() { return "bench"; }
        public String getLogGroupName() { return "bench"; }
        public String getLogStreamName() { return "bench"; }
        public String getFunctionName() { return "bench"; }
        public String getFunctionVersion() { return "$LATEST"; }
        public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:000000000000:function:bench"; }
        public CognitoIdentity getIdentity() { return null; }
        public ClientContext getClientContext() { return null; }
        public int getRemainingTimeInMillis() { return 15_000; }
        public int getMemoryLimitInMB() { return 1024; }
        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                public void log(String message) { System.out.print(message); }
                public void log(byte[] message) { System.out.write(message, 0, message.length); }
            };
        }
    };
}
