package mx.prepaidkeys.api.confirm;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Inject;
import mx.prepaidkeys.activation.ActivationService;
import mx.prepaidkeys.activation.ActivationService.ConfirmCommand;
import mx.prepaidkeys.domain.PrepaidKeyCode;
import mx.prepaidkeys.domain.Timestamps;
import mx.prepaidkeys.edge.ApiHandler;
import mx.prepaidkeys.edge.Audience;
import mx.prepaidkeys.edge.CalledBy;
import mx.prepaidkeys.config.AwsFunction;
import mx.prepaidkeys.edge.Idempotent;
import mx.prepaidkeys.edge.ApiRequest;
import mx.prepaidkeys.edge.ApiResponse;
import mx.prepaidkeys.edge.JsonBody;
import mx.prepaidkeys.edge.ProductView;
import mx.prepaidkeys.i18n.Messages;

/**
 * {@code POST /v1/prepaid-keys/confirm}: the user accepted the licence; the key becomes the
 * distributor's ("Disponible sin asignar") and a confirmation email goes out. A repeat answers the
 * same body and sends nothing.
 */
@Idempotent
@AwsFunction(awsActions = {"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
        "dynamodb:DeleteItem", "secretsmanager:GetSecretValue"},
        environment = {"TABLE_NAME", "PEPPER_SECRET_ARN"},
        writesPartitions = {"KEY#*", "COUNTS#*", "ATTEMPTS#*", "IDEMPOTENCY#*"})
@CalledBy(Audience.DISTRIBUTORS)
public class ConfirmHandler extends ApiHandler {
    static final int MAX_LICENSE_VERSION = 32;

    @Inject
    ActivationService activation;

    @Override
    protected String primingBody() {
        return "{\"key\":\"" + PRIMING_TYPO_KEY + "\",\"acceptLicense\":true,\"licenseVersion\":\"PRIMING\"}";
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        JsonBody body = request.jsonBody();
        String key = body.string("key", PrepaidKeyCode.MAX_TYPED_LENGTH);
        boolean acceptLicense = body.bool("acceptLicense");
        String licenseVersion = body.string("licenseVersion", MAX_LICENSE_VERSION);
        body.end();
        var confirmed = activation.confirm(request.distributor(),
                new ConfirmCommand(key, acceptLicense, licenseVersion, request.sourceIp(), request.userAgent()));
        var product = confirmed.product();
        var activatedAt = confirmed.key().activation().activatedAt();
        var validUntil = product.validUntil(activatedAt);
        String notice = Messages.get(request.language(), "notice.activated", confirmed.key().maskedKey(), product.name(),
                Messages.dateFormat(request.language(), "date.pattern").format(validUntil));
        // Decided once, with the activation: a retry reads the same as the first answer.
        boolean held = confirmed.key().activation().emailHeldReason() != null;
        if (held) notice += " " + Messages.get(request.language(), "notice.emailHeld");
        return ApiResponse.ok(new Confirmed(confirmed.key().keyId().value(), confirmed.key().maskedKey(),
                confirmed.key().storedStatus().name(), ProductView.of(product), Timestamps.format(activatedAt),
                validUntil.toString(), notice, held ? "HELD" : "PENDING"));
    }

    /**
     * @param validUntil        the last day of the product's term (a date in Mexico City), counted from the activation
     * @param notice            the "aviso" the user accepts after confirming, in the request's language; it asks the
     *                          user to verify their address when the email was held
     * @param confirmationEmail what the activation owed: PENDING (it goes out shortly) or HELD (not sent: the
     *                          user's address is not verified; the back office releases it once it is)
     */
    @Serdeable
    public record Confirmed(String keyId, String maskedKey, String status, ProductView product, String activatedAt,
                            String validUntil, String notice, String confirmationEmail) {}
}
