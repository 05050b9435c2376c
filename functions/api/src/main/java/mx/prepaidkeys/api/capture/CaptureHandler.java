package mx.prepaidkeys.api.capture;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Inject;
import mx.prepaidkeys.activation.ActivationService;
import mx.prepaidkeys.domain.PrepaidKeyCode;
import mx.prepaidkeys.domain.Timestamps;
import mx.prepaidkeys.edge.ApiHandler;
import mx.prepaidkeys.edge.Audience;
import mx.prepaidkeys.edge.CalledBy;
import mx.prepaidkeys.config.AwsFunction;
import mx.prepaidkeys.edge.ApiRequest;
import mx.prepaidkeys.edge.ApiResponse;
import mx.prepaidkeys.edge.JsonBody;
import mx.prepaidkeys.edge.LicenseView;
import mx.prepaidkeys.edge.ProductView;

/** {@code POST /v1/prepaid-keys/capture}: what a typed key is, for the confirm window. Changes nothing. */
@AwsFunction(awsActions = {"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:UpdateItem", "secretsmanager:GetSecretValue"},
        environment = {"TABLE_NAME", "PEPPER_SECRET_ARN"},
        writesPartitions = {"ATTEMPTS#*"})
@CalledBy(Audience.DISTRIBUTORS)
public class CaptureHandler extends ApiHandler {
    @Inject
    ActivationService activation;

    @Override
    protected String primingBody() {
        return "{\"key\":\"" + PRIMING_TYPO_KEY + "\"}";
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        JsonBody body = request.jsonBody();
        String key = body.string("key", PrepaidKeyCode.MAX_TYPED_LENGTH);
        body.end();
        var captured = activation.capture(request.distributor(), key);
        var expiresAt = captured.key().expiresAt();
        return ApiResponse.ok(new Captured(captured.key().maskedKey(), ProductView.of(captured.product()),
                LicenseView.of(captured.product().license()), expiresAt == null ? null : Timestamps.format(expiresAt)));
    }

    /** @param expiresAt null when the key does not expire */
    @Serdeable
    public record Captured(String maskedKey, ProductView product, LicenseView license, String expiresAt) {}
}
