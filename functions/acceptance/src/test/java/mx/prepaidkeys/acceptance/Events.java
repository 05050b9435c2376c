package mx.prepaidkeys.acceptance;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import mx.prepaidkeys.local.Emulators;

/** The sample events of {@code events/}: the same files a developer invokes handlers with. */
final class Events {
    /** The demo key in the sample events; tests seed it into their table. */
    static final String SAMPLE_KEY = "QMQ0B-FWQPJ-BY38V-P2NX3-M3SQG";
    static final String SAMPLE_LICENSE_VERSION = "2026.1";
    static final String SAMPLE_DISTRIBUTOR = "dist-norte";
    static final String SAMPLE_EMAIL = "ana.lopez@distribuidora-norte.example";

    private Events() {}

    static APIGatewayV2HTTPEvent load(String name) {
        return EventLoader.loadApiGatewayHttpEvent(Emulators.repositoryRoot().resolve("events").resolve(name).toString());
    }

    /** A sample event as another user: the claims the authorizer would put there for them. */
    static APIGatewayV2HTTPEvent as(APIGatewayV2HTTPEvent event, String distributorId, String email, String locale) {
        var claims = event.getRequestContext().getAuthorizer().getJwt().getClaims();
        claims.put("custom:distributor_id", distributorId);
        claims.put("email", email);
        claims.put("sub", "sub-" + email);
        claims.put("cognito:username", email.substring(0, email.indexOf('@')));
        claims.put("name", email.substring(0, email.indexOf('@')));
        if (locale == null) claims.remove("locale");
        else claims.put("locale", locale);
        return event;
    }

    static APIGatewayV2HTTPEvent withBody(APIGatewayV2HTTPEvent event, String body) {
        event.setBody(body);
        return event;
    }
}
