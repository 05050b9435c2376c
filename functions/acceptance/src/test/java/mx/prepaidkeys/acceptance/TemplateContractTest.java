package mx.prepaidkeys.acceptance;

import static mx.prepaidkeys.local.SamTemplate.list;
import static mx.prepaidkeys.local.SamTemplate.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import mx.prepaidkeys.edge.ApiHandler;
import mx.prepaidkeys.config.AwsFunction;
import mx.prepaidkeys.local.Emulators;
import mx.prepaidkeys.local.SamTemplate;
import mx.prepaidkeys.log.Metric;
import mx.prepaidkeys.log.Metrics;
import mx.prepaidkeys.notifier.NotifierHandler;
import mx.prepaidkeys.notifier.ReportTallyHandler;
import mx.prepaidkeys.store.KeyTable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;

/**
 * template.yaml against the code: every route reaches a handler that exists, every handler module
 * is deployed, every function has a sample event, every policy grants exactly what the code calls
 * (declared with {@link AwsFunction}), every variable the code reads is set, and the table has the
 * keys and indexes the repository uses.
 */
class TemplateContractTest {
    private static final Path ROOT = Emulators.repositoryRoot();
    private static final SamTemplate TEMPLATE = SamTemplate.load(ROOT.resolve("template.yaml"));

    @Test
    void every_route_reaches_a_handler_that_exists_in_the_module_the_function_deploys() throws Exception {
        assertFalse(TEMPLATE.functions().isEmpty());
        for (var function : TEMPLATE.functions()) {
            Class<?> handler = Class.forName(function.handlerClass());
            boolean api = !function.routes().isEmpty();
            assertEquals(api, ApiHandler.class.isAssignableFrom(handler), function.handler() + ": an ApiHandler serves routes, and only that");
            if (!api) assertTrue(Set.of(NotifierHandler.class, ReportTallyHandler.class).contains(handler),
                    function.logicalId() + " has a route or is one of the stream's consumers");
            // The class alone: with Class::handleRequest the runtime finds only the erased handleRequest(Object, Context)
            // and hands the function a Map (docs/architecture.md). RuntimeContractTest proves it end to end.
            assertFalse(function.handler().contains("::"), function.logicalId() + ": Handler names the class alone: " + function.handler());
            assertEquals(List.of(api ? "APIGatewayV2HTTPEvent" : "DynamodbEvent", api ? "APIGatewayV2HTTPResponse" : "StreamsEventResponse"),
                    requestHandlerTypes(handler), function.logicalId() + ": the runtime reads the event type from RequestHandler's arguments");
            Path source = ROOT.resolve(function.codeUri()).resolve("src/main/java")
                    .resolve(function.handlerClass().replace('.', '/') + ".java");
            assertTrue(Files.isRegularFile(source), function.logicalId() + ": " + source + " is in its CodeUri");
            assertEquals("makefile", function.metadata().get("BuildMethod"), function.logicalId());
            String makefile = Files.readString(ROOT.resolve(function.codeUri()).resolve("Makefile"));
            assertTrue(hasTarget(makefile, "build-" + function.logicalId()), function.logicalId() + " has its sam build target, by name or by a pattern rule");
        }
    }

    /** A make target line names the goal itself or a pattern whose % stands for a non-empty stem. */
    private static boolean hasTarget(String makefile, String goal) {
        return makefile.lines()
                .filter(line -> !line.startsWith("\t") && !line.startsWith("#") && line.contains(":"))
                .flatMap(line -> Stream.of(line.substring(0, line.indexOf(':')).trim().split("\\s+")))
                .anyMatch(target -> target.equals(goal)
                        || target.contains("%") && goal.matches(java.util.regex.Pattern.quote(target).replace("%", "\\E.+\\Q")));
    }

    @Test
    void every_handler_class_is_deployed_by_exactly_one_function() throws IOException {
        Set<String> deployed = TEMPLATE.functions().stream().map(SamTemplate.Function::handlerClass).collect(Collectors.toSet());
        assertEquals(TEMPLATE.functions().size(), deployed.size(), "one function per handler");
        try (Stream<Path> files = Files.walk(ROOT.resolve("functions"))) {
            List<String> handlers = files.filter(path -> path.toString().contains("/src/main/java/"))
                    .filter(path -> path.getFileName().toString().endsWith("Handler.java"))
                    .filter(path -> read(path).contains("@AwsFunction("))
                    .map(path -> ROOT.resolve("functions").relativize(path).toString())
                    .map(path -> path.substring(path.indexOf("src/main/java/") + "src/main/java/".length()).replace(".java", "").replace('/', '.'))
                    .toList();
            assertFalse(handlers.isEmpty());
            for (String handler : handlers) assertTrue(deployed.contains(handler), handler + " has a function in template.yaml");
        }
    }

    @Test
    void every_function_has_a_sample_event_and_every_sample_event_a_route() throws IOException {
        Set<String> eventRoutes = new HashSet<>();
        int streamSamples = 0;
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> events = Files.list(ROOT.resolve("events"))) {
            for (Path event : events.filter(p -> p.toString().endsWith(".json")).toList()) {
                var sample = json.readTree(event.toFile());
                if (sample.has("Records")) {
                    assertEquals("aws:dynamodb", sample.path("Records").path(0).path("eventSource").asText(), event + " is a stream record");
                    streamSamples++;
                    continue;
                }
                String routeKey = sample.path("routeKey").asText();
                assertFalse(routeKey.isEmpty(), event + " has a routeKey");
                eventRoutes.add(routeKey);
            }
        }
        long streamFunctions = TEMPLATE.functions().stream().filter(f -> !f.streams().isEmpty()).count();
        assertTrue(streamFunctions == 0 || streamSamples >= 2, "the stream's function has samples (an email owed, nothing owed)");
        Set<String> templateRoutes = new TreeSet<>();
        for (var function : TEMPLATE.functions()) {
            for (var route : function.routes()) {
                templateRoutes.add(route.routeKey());
                assertTrue(eventRoutes.contains(route.routeKey()), function.logicalId() + " has a sample event for " + route.routeKey());
            }
        }
        assertTrue(templateRoutes.containsAll(eventRoutes), "every sample event is for a route of the template: " + eventRoutes);
    }

    @Test
    void every_policy_grants_exactly_what_the_code_calls_and_nothing_everywhere() throws Exception {
        for (var function : TEMPLATE.functions()) {
            AwsFunction declared = Class.forName(function.handlerClass()).getAnnotation(AwsFunction.class);
            assertNotNull(declared, function.handlerClass() + " declares what it calls with @AwsFunction");
            Set<String> granted = new TreeSet<>();
            for (Object policy : function.policies()) {
                Map<String, Object> document = map(policy);
                if (!document.containsKey("Statement")) fail(function.logicalId() + ": only inline statements, no broad SAM policy templates: " + policy);
                for (Object statement : list(document.get("Statement"))) {
                    Map<String, Object> s = map(statement);
                    assertEquals("Allow", s.get("Effect"));
                    for (Object action : list(s.get("Action"))) {
                        assertFalse(action.toString().contains("*"), function.logicalId() + " grants a wildcard action " + action);
                        granted.add(action.toString());
                    }
                    for (Object resource : list(s.get("Resource"))) {
                        assertFalse("*".equals(resource), function.logicalId() + " grants on every resource");
                    }
                }
            }
            assertEquals(new TreeSet<>(List.of(declared.awsActions())), granted, function.logicalId() + ": granted = called");
        }
    }

    @Test
    void the_notifier_reads_the_stream_of_the_table_and_gives_up_to_a_watched_queue() {
        var notifier = TEMPLATE.functions().stream().filter(f -> f.handlerClass().equals(NotifierHandler.class.getName())).findFirst().orElseThrow();
        var events = map(map(TEMPLATE.resource(notifier.logicalId()).get("Properties")).get("Events"));
        assertEquals(1, events.size());
        var event = map(events.values().iterator().next());
        assertEquals("DynamoDB", event.get("Type"));
        var properties = map(event.get("Properties"));
        assertEquals("KeysTable.StreamArn", String.valueOf(map(properties.get("Stream")).get("Fn::GetAtt")));
        assertEquals(List.of("ReportBatchItemFailures"), properties.get("FunctionResponseTypes"), "failures are reported per record");
        assertNotNull(properties.get("MaximumRetryAttempts"), "a poisoned record does not block the shard for a day");
        var onFailure = map(map(properties.get("DestinationConfig")).get("OnFailure"));
        assertEquals("EmailDeadLetters.Arn", String.valueOf(map(onFailure.get("Destination")).get("Fn::GetAtt")));
        String pattern = String.valueOf(map(list(map(properties.get("FilterCriteria")).get("Filters")).getFirst()).get("Pattern"));
        assertTrue(pattern.contains(mx.prepaidkeys.store.DynamoEmailOutbox.SK_VALUE) && pattern.contains("PENDING"), "only owed emails wake the notifier: " + pattern);
        assertEquals(Map.of("Ref", "EmailDeadLetters"), notifier.environment().get("DEAD_LETTER_QUEUE_URL"));
        var alarm = map(TEMPLATE.resource("EmailDeadLettersAlarm").get("Properties"));
        assertEquals("AWS/SQS", alarm.get("Namespace"));
        assertEquals("EmailDeadLetters.QueueName", String.valueOf(map(map(list(alarm.get("Dimensions")).getFirst()).get("Value")).get("Fn::GetAtt")));
    }

    @Test
    void the_report_tally_reads_the_stream_of_the_table_woken_by_activated_keys_and_gives_up_to_a_watched_queue() {
        var tally = TEMPLATE.functions().stream().filter(f -> f.handlerClass().equals(ReportTallyHandler.class.getName())).findFirst().orElseThrow();
        var events = map(map(TEMPLATE.resource(tally.logicalId()).get("Properties")).get("Events"));
        assertEquals(1, events.size());
        var properties = map(map(events.values().iterator().next()).get("Properties"));
        assertEquals("KeysTable.StreamArn", String.valueOf(map(properties.get("Stream")).get("Fn::GetAtt")));
        assertEquals(List.of("ReportBatchItemFailures"), properties.get("FunctionResponseTypes"), "failures are reported per record");
        assertNotNull(properties.get("MaximumRetryAttempts"), "a poisoned record does not block the shard for a day");
        var onFailure = map(map(properties.get("DestinationConfig")).get("OnFailure"));
        assertEquals("ReportDeadLetters.Arn", String.valueOf(map(onFailure.get("Destination")).get("Fn::GetAtt")));
        String pattern = String.valueOf(map(list(map(properties.get("FilterCriteria")).get("Filters")).getFirst()).get("Pattern"));
        assertTrue(pattern.contains("\"SK\":{\"S\":[\"KEY\"]}") && pattern.contains("AVAILABLE"), "only keys a confirm leaves AVAILABLE wake the tally: " + pattern);
        var alarm = map(TEMPLATE.resource("ReportDeadLettersAlarm").get("Properties"));
        assertEquals("ReportDeadLetters.QueueName", String.valueOf(map(map(list(alarm.get("Dimensions")).getFirst()).get("Value")).get("Fn::GetAtt")));
    }

    @Test
    void every_variable_a_function_reads_is_set() throws Exception {
        for (var function : TEMPLATE.functions()) {
            AwsFunction declared = Class.forName(function.handlerClass()).getAnnotation(AwsFunction.class);
            for (String variable : declared.environment()) {
                assertTrue(function.environment().containsKey(variable), function.logicalId() + " sets " + variable);
            }
        }
    }

    @Test
    void every_aws_call_has_a_budget_well_inside_its_functions_timeout() {
        var budget = mx.prepaidkeys.config.ServiceSettings.SdkBudget.DEFAULT;
        for (var function : TEMPLATE.functions()) {
            long attempt = Long.parseLong(String.valueOf(function.environment().get("SDK_ATTEMPT_TIMEOUT_MS")));
            long call = Long.parseLong(String.valueOf(function.environment().get("SDK_CALL_TIMEOUT_MS")));
            var own = map(map(map(TEMPLATE.resource(function.logicalId()).get("Properties")).get("Environment")).get("Variables"));
            if (!own.containsKey("SDK_CALL_TIMEOUT_MS")) {
                assertEquals(budget.attempt().toMillis(), attempt, function.logicalId() + ": the template says what the code assumes");
                assertEquals(budget.call().toMillis(), call, function.logicalId());
            }
            assertTrue(attempt <= call && call <= 0.6 * function.timeoutSeconds() * 1000,
                    function.logicalId() + ": a stalled call leaves the function time to answer (" + call + " ms of " + function.timeoutSeconds() + " s)");
        }
    }

    @Test
    void functions_run_java21_on_arm64_with_snapstart_json_logs_and_their_own_log_group() {
        var globals = TEMPLATE.functionGlobals();
        assertEquals("java21", globals.get("Runtime"));
        assertEquals(List.of("arm64"), globals.get("Architectures"));
        assertEquals("PublishedVersions", map(globals.get("SnapStart")).get("ApplyOn"));
        assertNotNull(globals.get("AutoPublishAlias"));
        for (var function : TEMPLATE.functions()) {
            var logging = map(map(TEMPLATE.resource(function.logicalId()).get("Properties")).get("LoggingConfig"));
            assertEquals("JSON", logging.get("LogFormat"), function.logicalId());
            String group = String.valueOf(map(logging.get("LogGroup")).get("Ref"));
            var logGroup = TEMPLATE.resource(group);
            assertEquals("AWS::Logs::LogGroup", logGroup.get("Type"), function.logicalId() + " logs to its own group");
            assertNotNull(map(logGroup.get("Properties")).get("RetentionInDays"), group + " has a retention");
        }
    }

    @Test
    void the_table_has_the_keys_and_indexes_the_repository_uses() {
        CreateTableRequest code = KeyTable.definition("any");
        var table = map(TEMPLATE.resource("KeysTable").get("Properties"));
        assertEquals("PAY_PER_REQUEST", table.get("BillingMode"));
        assertEquals(code.keySchema().stream().map(k -> k.attributeName() + ":" + k.keyTypeAsString()).toList(), keySchema(table.get("KeySchema")));
        Set<String> attributes = code.attributeDefinitions().stream().map(a -> a.attributeName() + ":" + a.attributeTypeAsString())
                .collect(Collectors.toSet());
        assertEquals(attributes, list(table.get("AttributeDefinitions")).stream()
                .map(a -> map(a).get("AttributeName") + ":" + map(a).get("AttributeType")).collect(Collectors.toSet()));
        var indexes = list(table.get("GlobalSecondaryIndexes"));
        assertEquals(code.globalSecondaryIndexes().size(), indexes.size());
        for (var index : code.globalSecondaryIndexes()) {
            var declared = indexes.stream().map(SamTemplate::map).filter(i -> index.indexName().equals(i.get("IndexName"))).findFirst()
                    .orElseThrow(() -> new AssertionError("template.yaml lacks index " + index.indexName()));
            assertEquals(index.keySchema().stream().map(k -> k.attributeName() + ":" + k.keyTypeAsString()).toList(), keySchema(declared.get("KeySchema")));
            assertEquals(index.projection().projectionTypeAsString(), map(declared.get("Projection")).get("ProjectionType"));
        }
        assertEquals(code.streamSpecification().streamViewTypeAsString(), map(table.get("StreamSpecification")).get("StreamViewType"));
        assertEquals(true, map(table.get("PointInTimeRecoverySpecification")).get("PointInTimeRecoveryEnabled"));
    }

    /**
     * A function that writes only some partitions of the table may write nowhere else: each
     * statement granting a write on the table carries a {@code dynamodb:LeadingKeys} condition
     * ({@code ForAllValues:StringLike}) and grants no read, so reads stay unconditioned; the
     * partitions are the ones the handler declares in {@link AwsFunction#writesPartitions()}, which
     * {@link PartitionGuard} enforces on every write the tests make.
     */
    @Test
    void writes_to_the_table_are_held_to_leading_keys_and_reads_are_not() throws Exception {
        Set<String> writes = Set.of("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem");
        for (var function : TEMPLATE.functions()) {
            for (Object policy : function.policies()) {
                for (Object statement : list(map(policy).get("Statement"))) {
                    Map<String, Object> s = map(statement);
                    List<String> actions = list(s.get("Action")).stream().map(String::valueOf).toList();
                    if (actions.stream().noneMatch(writes::contains)) continue;
                    assertTrue(writes.containsAll(actions), function.logicalId() + ": a write statement grants only writes: " + actions);
                    Object leading = map(map(s.get("Condition")).get("ForAllValues:StringLike")).get("dynamodb:LeadingKeys");
                    List<Object> prefixes = list(leading);
                    assertFalse(prefixes.isEmpty(), function.logicalId() + ": " + actions + " is held to its partitions by dynamodb:LeadingKeys");
                    for (Object prefix : prefixes) {
                        assertTrue(String.valueOf(prefix).matches("[A-Z]+#\\*"), function.logicalId() + ": a partition prefix: " + prefix);
                    }
                }
            }
        }
        for (var function : TEMPLATE.functions()) {
            AwsFunction declared = Class.forName(function.handlerClass()).getAnnotation(AwsFunction.class);
            Set<String> held = new TreeSet<>();
            boolean grantsWrites = false;
            for (Object policy : function.policies()) {
                for (Object statement : list(map(policy).get("Statement"))) {
                    Map<String, Object> s = map(statement);
                    if (list(s.get("Action")).stream().map(String::valueOf).noneMatch(writes::contains)) continue;
                    if (!String.valueOf(s.get("Resource")).contains("KeysTable")) continue;
                    grantsWrites = true;
                    list(map(map(s.get("Condition")).get("ForAllValues:StringLike")).get("dynamodb:LeadingKeys"))
                            .forEach(prefix -> held.add(String.valueOf(prefix)));
                }
            }
            assertEquals(new TreeSet<>(List.of(declared.writesPartitions())), held,
                    function.logicalId() + ": the policy's partitions are the ones the handler declares it writes");
            assertEquals(grantsWrites, declared.writesPartitions().length > 0, function.logicalId());
        }
        // The audit log is append-only: no function may update or delete in AUDIT#*, only put there.
        for (var function : TEMPLATE.functions()) {
            for (Object policy : function.policies()) {
                for (Object statement : list(map(policy).get("Statement"))) {
                    Map<String, Object> s = map(statement);
                    if (!String.valueOf(s.get("Condition")).contains("AUDIT#")) continue;
                    assertEquals(List.of("dynamodb:PutItem"), list(s.get("Action")).stream().map(String::valueOf).toList(),
                            function.logicalId() + " only appends audit entries");
                    assertEquals(List.of("AUDIT#*"), list(map(map(s.get("Condition")).get("ForAllValues:StringLike")).get("dynamodb:LeadingKeys")),
                            function.logicalId() + ": audit entries in a statement of their own");
                }
            }
        }
        var capture = TEMPLATE.functions().stream().filter(f -> f.logicalId().equals("CaptureFunction")).findFirst().orElseThrow();
        boolean attemptsOnly = false;
        for (Object statement : list(map(capture.policies().getFirst()).get("Statement"))) {
            Map<String, Object> s = map(statement);
            if (!list(s.get("Action")).contains("dynamodb:UpdateItem")) continue;
            attemptsOnly = List.of("ATTEMPTS#*").equals(list(map(map(s.get("Condition")).get("ForAllValues:StringLike")).get("dynamodb:LeadingKeys")));
        }
        assertTrue(attemptsOnly, "capture updates attempt items only");
    }

    @Test
    void users_cannot_point_the_service_at_an_address_they_have_not_verified() {
        var pool = map(TEMPLATE.resource("UserPool").get("Properties"));
        assertEquals(List.of("email"), map(pool.get("UserAttributeUpdateSettings")).get("AttributesRequireVerificationBeforeUpdate"),
                "an email change waits for its verification code");
        var client = map(TEMPLATE.resource("UserPoolClient").get("Properties"));
        for (Object attribute : list(client.get("WriteAttributes"))) {
            assertFalse(String.valueOf(attribute).startsWith("custom:"), "users write no custom attribute: " + attribute);
        }
    }

    @Test
    void the_desk_allows_forms_to_post_only_to_itself() {
        var headers = map(map(TEMPLATE.resource("DeskHeaders").get("Properties")).get("ResponseHeadersPolicyConfig"));
        Object csp = map(map(headers.get("SecurityHeadersConfig")).get("ContentSecurityPolicy")).get("ContentSecurityPolicy");
        assertTrue(String.valueOf(csp).contains("form-action 'self'"), String.valueOf(csp));
    }

    /**
     * Brakes per tenant: the costly and the guessable routes have throttles of their own (one
     * stack parameter each), and an optional web ACL on the desk's CloudFront distribution limits
     * requests per address and per token (WAF cannot attach to an HTTP API).
     */
    @Test
    void routes_have_their_own_throttles_and_an_optional_web_acl_limits_each_address_and_token() {
        var api = map(TEMPLATE.resource("Api").get("Properties"));
        var routes = map(api.get("RouteSettings"));
        for (String route : List.of("POST /v1/prepaid-keys/capture", "POST /v1/prepaid-keys/confirm", "GET /v1/prepaid-keys")) {
            var settings = map(routes.get(route));
            assertTrue(map(settings.get("ThrottlingRateLimit")).containsKey("Ref"), route + " has a rate limit parameter: " + settings);
            assertTrue(map(settings.get("ThrottlingBurstLimit")).containsKey("Ref"), route + " has a burst limit parameter: " + settings);
        }
        var acl = TEMPLATE.resource("DeskWebAcl");
        assertEquals("AWS::WAFv2::WebACL", acl.get("Type"));
        assertTrue(acl.containsKey("Condition"), "optional");
        var properties = map(acl.get("Properties"));
        assertEquals("CLOUDFRONT", properties.get("Scope"));
        Set<String> keys = new TreeSet<>();
        for (Object rule : list(properties.get("Rules"))) {
            var rateBased = map(map(map(rule).get("Statement")).get("RateBasedStatement"));
            if (rateBased.isEmpty()) continue; // a managed rule group (known bad inputs)
            keys.add(String.valueOf(rateBased.get("AggregateKeyType")));
            if ("CUSTOM_KEYS".equals(rateBased.get("AggregateKeyType"))) {
                Object header = map(map(list(rateBased.get("CustomKeys")).getFirst()).get("Header")).get("Name");
                assertEquals("authorization", String.valueOf(header).toLowerCase(), "per token");
            }
        }
        assertEquals(Set.of("IP", "CUSTOM_KEYS"), keys);
        var distribution = map(map(TEMPLATE.resource("DeskDistribution").get("Properties")).get("DistributionConfig"));
        assertTrue(distribution.containsKey("WebACLId"), "the distribution attaches it");
    }

    /**
     * Every alarm watches something that exists: a metric of the service's own ({@link Metric}, in
     * {@link Metrics#NAMESPACE}) that some function's code records, under the dimensions the
     * functions write (service; service and function, a function of this template), or an AWS
     * metric of a resource of this template (its API, its functions, its queue). And every alarm
     * tells AlarmTopicArn.
     */
    @Test
    void every_alarm_watches_a_metric_a_function_emits_or_an_aws_metric_of_this_template() throws IOException {
        Map<String, String> namespaces = Map.of("AWS/ApiGateway", "AWS::Serverless::HttpApi", "AWS/Lambda", "AWS::Serverless::Function",
                "AWS/SQS", "AWS::SQS::Queue");
        String code;
        try (Stream<Path> files = Files.walk(ROOT.resolve("functions"))) {
            code = files.filter(path -> path.toString().contains("/src/main/java/") && path.toString().endsWith(".java"))
                    .filter(path -> !path.getFileName().toString().equals("Metric.java")).map(TemplateContractTest::read)
                    .collect(Collectors.joining("\n"));
        }
        Set<String> functions = TEMPLATE.functions().stream().map(SamTemplate.Function::logicalId).collect(Collectors.toSet());
        int alarms = 0;
        for (var entry : TEMPLATE.resources().entrySet()) {
            if (!"AWS::CloudWatch::Alarm".equals(map(entry.getValue()).get("Type"))) continue;
            alarms++;
            String alarm = entry.getKey();
            var properties = map(map(entry.getValue()).get("Properties"));
            List<Map<String, Object>> metrics = properties.containsKey("Metrics")
                    ? list(properties.get("Metrics")).stream().map(SamTemplate::map).filter(m -> m.containsKey("MetricStat"))
                            .map(m -> map(map(m.get("MetricStat")).get("Metric"))).toList()
                    : List.of(properties);
            assertFalse(metrics.isEmpty(), alarm);
            for (var metric : metrics) {
                String namespace = String.valueOf(metric.get("Namespace"));
                String name = String.valueOf(metric.get("MetricName"));
                Map<String, Object> dimensions = new java.util.LinkedHashMap<>();
                for (Object dimension : list(metric.get("Dimensions"))) dimensions.put(String.valueOf(map(dimension).get("Name")), map(dimension).get("Value"));
                if (namespace.equals(Metrics.NAMESPACE)) {
                    Metric emitted = java.util.Arrays.stream(Metric.values()).filter(m -> m.metricName().equals(name)).findFirst()
                            .orElseThrow(() -> new AssertionError(alarm + ": no function emits " + name));
                    assertTrue(code.contains("Metric." + emitted.name()), alarm + ": some function records Metric." + emitted.name());
                    assertTrue(Set.of(Set.of("service"), Set.of("service", "function")).contains(dimensions.keySet()),
                            alarm + ": the functions write service, and service+function: " + dimensions.keySet());
                    assertEquals(Map.of("Ref", "AWS::StackName"), dimensions.get("service"), alarm + ": SERVICE_NAME is the stack's name");
                    if (dimensions.containsKey("function")) {
                        assertTrue(functions.contains(String.valueOf(map(dimensions.get("function")).get("Ref"))), alarm + ": a function of this template");
                    }
                } else {
                    String type = namespaces.get(namespace);
                    assertNotNull(type, alarm + ": a namespace of this template's resources: " + namespace);
                    assertFalse(dimensions.isEmpty(), alarm + ": one resource's metric, not the account's");
                    for (Object value : dimensions.values()) {
                        if (!(value instanceof Map<?, ?>)) continue; // a constant: the API's $default stage
                        Object reference = map(value).containsKey("Ref") ? map(value).get("Ref")
                                : String.valueOf(map(value).get("Fn::GetAtt")).split("\\.")[0];
                        assertEquals(type, TEMPLATE.resource(String.valueOf(reference)).get("Type"), alarm + ": " + namespace + " of " + reference);
                    }
                }
            }
            var topic = List.of(Map.of("Ref", "AlarmTopicArn"));
            assertEquals(topic, list(map(properties.get("AlarmActions")).get("Fn::If")).get(1), alarm + " tells AlarmTopicArn");
        }
        assertTrue(alarms >= 2 + 2 * 3 + 2 + functions.size() - 1, "5xx, 4xx, errors and throttles, iterator age, dead letters, failed attempts, p99 per route: " + alarms);
    }

    /** With KmsKeyArn, every function may decrypt with the key: the table, the secret and the variables are under it. */
    @Test
    void with_a_customer_managed_key_every_function_may_use_it() {
        var policy = TEMPLATE.resource("KmsKeyUse");
        assertEquals("KmsKeyGiven", policy.get("Condition"));
        Set<String> roles = list(map(policy.get("Properties")).get("Roles")).stream().map(r -> String.valueOf(map(r).get("Ref")))
                .collect(Collectors.toSet());
        assertEquals(TEMPLATE.functions().stream().map(f -> f.logicalId() + "Role").collect(Collectors.toSet()), roles);
    }

    private static List<String> keySchema(Object schema) {
        return list(schema).stream().map(k -> map(k).get("AttributeName") + ":" + map(k).get("KeyType")).toList();
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The type arguments of {@code RequestHandler} as the Java runtime client resolves them for a
     * handler class: through superclasses, type variables bound by subclasses.
     */
    private static List<String> requestHandlerTypes(Class<?> handler) {
        java.util.Map<java.lang.reflect.TypeVariable<?>, java.lang.reflect.Type> bound = new java.util.HashMap<>();
        for (Class<?> c = handler; c != null; c = c.getSuperclass()) {
            for (java.lang.reflect.Type type : c.getGenericInterfaces()) {
                if (type instanceof java.lang.reflect.ParameterizedType p && p.getRawType() == com.amazonaws.services.lambda.runtime.RequestHandler.class) {
                    return java.util.Arrays.stream(p.getActualTypeArguments()).map(t -> bound.getOrDefault(t, t))
                            .map(t -> t instanceof Class<?> k ? k.getSimpleName() : "unresolved " + t).toList();
                }
            }
            if (c.getGenericSuperclass() instanceof java.lang.reflect.ParameterizedType p) {
                var variables = ((Class<?>) p.getRawType()).getTypeParameters();
                for (int i = 0; i < variables.length; i++) {
                    var argument = p.getActualTypeArguments()[i];
                    bound.put(variables[i], bound.getOrDefault(argument, argument));
                }
            }
        }
        return List.of();
    }
}
