package mx.prepaidkeys.local;

import mx.prepaidkeys.config.LocalLambdaContext;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import mx.prepaidkeys.config.ServiceSettings;

/**
 * `make token` and `make invoke`: small tools against the running local stack
 * ({@code .local/stack.json}).
 */
public final class DevTools {
    private DevTools() {}

    public static void main(String[] args) throws Exception {
        Path root = Emulators.repositoryRoot();
        if (args.length >= 2 && args[0].equals("token")) {
            System.out.println(token(StackFile.read(root.resolve(".local/stack.json")), args[1]));
        } else if (args.length >= 3 && args[0].equals("invoke")) {
            System.out.println(invoke(root, StackFile.read(root.resolve(".local/stack.json")), args[1], Path.of(args[2])));
        } else {
            System.err.println("usage: DevTools token <username> | invoke <FunctionLogicalId|module> <event.json>");
            System.exit(2);
        }
    }

    /** An ID token for a demo user, signed in through cognito-local as the desk would. */
    static String token(StackFile stack, String username) {
        var user = stack.user(username);
        try (LocalCognito cognito = new LocalCognito(java.net.URI.create(stack.cognito().endpoint()))) {
            return cognito.idToken(new LocalCognito.Pool(stack.cognito().userPoolId(), stack.cognito().clientId()), username, user.password());
        }
    }

    /**
     * Runs one handler in-process, configured like the local stack's, with an event file read by the
     * Lambda runtime's own deserializer; prints what it answers. The stand-in for `sam local invoke`.
     */
    @SuppressWarnings("unchecked")
    static String invoke(Path root, SamTemplate.Function function, StackFile stack, Path eventFile) throws Exception {
        if (System.getProperty("aws.accessKeyId") == null && System.getenv("AWS_ACCESS_KEY_ID") == null) {
            System.setProperty("aws.accessKeyId", "local");
            System.setProperty("aws.secretAccessKey", "local");
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(ServiceSettings.TABLE_NAME, stack.dynamodb().tableName());
        properties.put(ServiceSettings.REGION, stack.region());
        properties.put(ServiceSettings.DYNAMODB_ENDPOINT, stack.dynamodb().endpoint());
        properties.put(ServiceSettings.SES_ENDPOINT, stack.ses().endpoint());
        properties.put(ServiceSettings.KEY_PEPPER, DevStack.LOCAL_PEPPER);
        properties.put(ServiceSettings.SENDER_ADDRESS, DevStack.SENDER);
        properties.put(ServiceSettings.DESK_URL, stack.apiUrl() + "/");
        APIGatewayV2HTTPEvent event;
        try (InputStream in = Files.newInputStream(root.resolve(eventFile))) {
            event = LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, DevTools.class.getClassLoader()).fromJson(in);
        }
        ApplicationContextBuilder context = ApplicationContext.builder().properties(properties);
        var handler = (RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>) Class.forName(function.handlerClass())
                .getConstructor(ApplicationContextBuilder.class).newInstance(context);
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, new LocalLambdaContext("make-invoke", function.logicalId()));
        Map<String, Object> printed = new LinkedHashMap<>();
        printed.put("statusCode", response.getStatusCode());
        printed.put("headers", response.getHeaders());
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        String body = response.getBody();
        printed.put("body", body == null ? null : body.startsWith("{") || body.startsWith("[") ? json.readTree(body) : body);
        if (handler instanceof AutoCloseable closeable) closeable.close();
        return json.writeValueAsString(printed);
    }

    static String invoke(Path root, StackFile stack, String name, Path eventFile) throws Exception {
        SamTemplate template = SamTemplate.load(root.resolve("template.yaml"));
        var function = template.functions().stream()
                .filter(f -> f.logicalId().equalsIgnoreCase(name) || f.logicalId().equalsIgnoreCase(name + "Function")
                        || f.codeUri().equals("functions/" + name))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no function " + name + " in template.yaml; functions: "
                        + template.functions().stream().map(SamTemplate.Function::logicalId).toList()));
        return invoke(root, function, stack, eventFile);
    }
}
