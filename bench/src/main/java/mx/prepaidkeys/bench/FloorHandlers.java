package mx.prepaidkeys.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;

/**
 * The floors as Lambda handlers, so that the runtime interface client starts and calls them
 * exactly as it does the functions (same deserialiser, same Handler lookup by the class alone):
 * {@code BENCH_FLOOR} names the function whose floor to be.
 */
final class FloorHandlers {
    private FloorHandlers() {}

    @SuppressWarnings("unchecked")
    private static <I, O> RequestHandler<I, O> floor() {
        return (RequestHandler<I, O>) Floors.create(System.getenv("BENCH_FLOOR"));
    }

    /** The floor of an API function. */
    public static final class Api implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
        private final RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> floor = floor();

        @Override
        public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
            return floor.handleRequest(event, context);
        }
    }

    /** The floor of the stream's function. */
    public static final class Stream implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
        private final RequestHandler<DynamodbEvent, StreamsEventResponse> floor = floor();

        @Override
        public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
            return floor.handleRequest(event, context);
        }
    }
}
