package mx.prepaidkeys.local.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mx.prepaidkeys.local.SamTemplate;

/**
 * How Lambda starts one function, read from template.yaml: its {@code sam build} artifact as the
 * task root, its Handler, memory, timeout, and the environment Lambda gives it (the template's
 * variables, Globals under its own, with the local overlay on top as {@code sam local --env-vars}
 * puts it: only variables the template declares are set).
 *
 * @param environment the process environment of the runtime, complete (nothing is inherited)
 */
public record FunctionSpec(String logicalId, String handler, Path taskRoot, int memoryMb, int timeoutSeconds,
                           Map<String, String> environment) {
    /**
     * Lambda gives an on-demand init 10 s of its own before the invocation's timeout starts; the
     * emulator counts init against the timeout. It is given this much more, and the local runtime
     * keeps the function's own timeout itself ({@code FunctionInstance}).
     */
    public static final int INIT_SECONDS = 10;

    /**
     * The java21 managed runtime's JVM flags for a function of {@code memoryMb}: a heap of 85% of the
     * function's memory, the serial collector, class data sharing; the template's JAVA_TOOL_OPTIONS
     * come on top through the environment, as in Lambda.
     */
    public static List<String> jvmFlags(int memoryMb) {
        return List.of("-Xshare:auto", "-XX:+UseSerialGC", "-Xmx" + (memoryMb * 85 / 100) + "m", "-XX:-UsePerfData",
                "-Djava.net.preferIPv4Stack=true",
                // Only because the local JDK is newer than Lambda's 21: JDK 24+ warns when the client loads its JNI library.
                "--enable-native-access=ALL-UNNAMED");
    }

    /**
     * @param buildDir the {@code sam build} output ({@code .aws-sam/build}): one folder per function
     * @param overlay  local values for template variables (endpoints, the pepper, the table name);
     *                 a variable the template does not declare for this function is not set
     */
    public static FunctionSpec of(SamTemplate.Function function, Path buildDir, Map<String, String> overlay, String region) {
        Path taskRoot = buildDir.resolve(function.logicalId()).toAbsolutePath();
        if (!Files.isDirectory(taskRoot)) {
            throw new IllegalStateException(function.logicalId() + " is not built (no " + taskRoot + "): run `make build` (sam build)");
        }
        if (!function.runtime().equals("java21")) {
            throw new IllegalStateException(function.logicalId() + " runs on " + function.runtime() + "; the local runtime is java21's");
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("LANG", "en_US.UTF-8");
        env.put("TZ", ":UTC");
        env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        env.put("_HANDLER", function.handler());
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        env.put("AWS_LAMBDA_FUNCTION_NAME", function.logicalId());
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memoryMb()));
        // The emulator is given INIT_SECONDS more than the timeout (it counts a cold start's init
        // against the first invocation) and dates the runtime's deadline by that: the function is
        // told by how much its context's remaining time runs late here. Absent in AWS.
        env.put(mx.prepaidkeys.config.InvocationDeadline.SKEW_VARIABLE, Integer.toString(INIT_SECONDS * 1000));
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + function.logicalId());
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "local");
        if (function.logFormat().equalsIgnoreCase("JSON")) env.put("AWS_LAMBDA_LOG_FORMAT", "JSON");
        env.put("AWS_REGION", region);
        env.put("AWS_DEFAULT_REGION", region);
        // The SDK's default chain reads the execution role's keys from these; the emulators accept any.
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_SESSION_TOKEN", "local");
        function.environment().forEach((name, value) -> {
            if (overlay.containsKey(name)) env.put(name, overlay.get(name));
            else if (value instanceof String text) env.put(name, text);
            else if (value != null) {
                // !Ref, !GetAtt ... of a resource that exists only in AWS: empty, as sam local leaves it
                env.put(name, "");
            }
        });
        // The overlay may shorten the timeout (tests of timeouts); Lambda tells a function its time
        // only through the context's remaining time, never in its environment.
        int timeout = overlay.containsKey("AWS_LAMBDA_FUNCTION_TIMEOUT")
                ? Integer.parseInt(overlay.get("AWS_LAMBDA_FUNCTION_TIMEOUT")) : function.timeoutSeconds();
        return new FunctionSpec(function.logicalId(), function.handler(), taskRoot, function.memoryMb(), timeout, Map.copyOf(env));
    }

    /** The same function's settings for other code: another task root and Handler, with some variables added (the benchmark's floors). */
    public FunctionSpec withCode(Path otherTaskRoot, String otherHandler, Map<String, String> addedEnvironment) {
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put("LAMBDA_TASK_ROOT", otherTaskRoot.toAbsolutePath().toString());
        env.put("_HANDLER", otherHandler);
        env.putAll(addedEnvironment);
        return new FunctionSpec(logicalId, otherHandler, otherTaskRoot.toAbsolutePath(), memoryMb, timeoutSeconds, Map.copyOf(env));
    }

    /** The emulator's own environment: the function's, with the init's time added to the timeout it enforces. */
    Map<String, String> emulatorEnvironment() {
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put("AWS_LAMBDA_FUNCTION_TIMEOUT", Integer.toString(timeoutSeconds + INIT_SECONDS));
        return env;
    }

    /**
     * The runtime's command line: the client is the whole class path; it loads the function from
     * the task root. The emulator passes its environment on; {@code env -u} takes back the timeout
     * setting that is the emulator's alone.
     */
    List<String> runtimeCommand(RuntimeTools tools) {
        List<String> command = new ArrayList<>();
        // the emulator passes its environment on, its own setting included: Lambda's runtime has no such variable
        command.addAll(List.of("/usr/bin/env", "-u", "AWS_LAMBDA_FUNCTION_TIMEOUT"));
        command.add(tools.java().toString());
        command.addAll(jvmFlags(memoryMb));
        command.add("-D" + RuntimeTools.NATIVE_CLIENT_PROPERTY + "=" + tools.nativeClient());
        // the task root is the deployment package, read-only in Lambda: a crash report goes where Lambda's would, /tmp
        command.add("-XX:ErrorFile=" + System.getProperty("java.io.tmpdir") + "/hs_err_" + logicalId + "_%p.log");
        command.addAll(List.of("-cp", tools.classPath(), "com.amazonaws.services.lambda.runtime.api.client.AWSLambda", handler));
        return command;
    }
}
