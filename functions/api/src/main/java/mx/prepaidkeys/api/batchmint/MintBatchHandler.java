package mx.prepaidkeys.api.batchmint;

import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import mx.prepaidkeys.backoffice.Batches;
import mx.prepaidkeys.domain.KeyBatch;
import mx.prepaidkeys.domain.Timestamps;
import mx.prepaidkeys.edge.ApiHandler;
import mx.prepaidkeys.edge.Audience;
import mx.prepaidkeys.edge.CalledBy;
import mx.prepaidkeys.edge.ApiRequest;
import mx.prepaidkeys.edge.ApiResponse;
import mx.prepaidkeys.config.AwsFunction;
import mx.prepaidkeys.edge.BatchView;
import mx.prepaidkeys.edge.Idempotent;
import mx.prepaidkeys.edge.Ids;
import mx.prepaidkeys.edge.JsonBody;

/**
 * {@code POST /v1/admin/key-batches}: mint up to 5,000 keys of a product. The answer (JSON, or CSV
 * with {@code Accept: text/csv}) is the only time the plain keys leave the system. The
 * {@code Idempotency-Key} is required: a retry gets the same batch back, or finishes the same batch
 * where a cut-off run stopped, never a second one. Writes stop at 60% of the function's timeout
 * (503 {@code BATCH_INCOMPLETE}; the same request again goes on).
 */
@Idempotent
@AwsFunction(awsActions = {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
        "dynamodb:BatchWriteItem", "secretsmanager:GetSecretValue"},
        environment = {"TABLE_NAME", "PEPPER_SECRET_ARN"},
        writesPartitions = {"BATCH#*", "KEY#*", "IDEMPOTENCY#*"})
@CalledBy(Audience.ADMINS)
public class MintBatchHandler extends ApiHandler {
    @Inject
    Batches batches;

    @Inject
    Clock clock;

    @Override
    protected ApiResponse handle(ApiRequest request) {
        JsonBody body = request.jsonBody();
        String sku = body.string("productSku", 32);
        int quantity = body.integer("quantity", 1, KeyBatch.MAX_QUANTITY);
        Instant expiresAt = body.optionalInstant("expiresAt");
        String note = body.optionalLine("note", KeyBatch.MAX_NOTE);
        if (expiresAt != null && !expiresAt.isAfter(clock.instant())) body.reject("expiresAt", "request.future");
        body.end();
        String productSku = Ids.sku(sku, "productSku");
        // the body first, then the header: a bad field is named whatever the headers say
        String mintId = request.requireIdempotencyRecord();
        // the rest of the function's time answers, or is left for SnapStart-free cold starts and a slow table
        Instant now = clock.instant();
        Instant deadline = now.plus(java.time.Duration.between(now, request.endsBy()).multipliedBy(6).dividedBy(10));
        var minted = batches.mint(request.backOfficeUser(), productSku, quantity, expiresAt, note, mintId, deadline);
        var keys = minted.keys().stream().map(k -> new BatchView.MintedKeyView(k.keyId().value(), k.key())).toList();
        if (!request.acceptsCsv()) return ApiResponse.status(201, BatchView.of(minted.batch(), null, keys));

        StringBuilder csv = new StringBuilder(64 * (keys.size() + 1)).append("keyId,key,productSku,batchId,expiresAt\r\n");
        String expires = minted.batch().expiresAt() == null ? "" : Timestamps.format(minted.batch().expiresAt());
        for (var key : keys) {
            csv.append(key.keyId()).append(',').append(key.key()).append(',').append(minted.batch().productSku()).append(',')
                    .append(minted.batch().batchId()).append(',').append(expires).append("\r\n");
        }
        return new ApiResponse(201, csv.toString(), "text/csv; charset=utf-8",
                Map.of("content-disposition", "attachment; filename=\"batch-" + minted.batch().batchId() + ".csv\""));
    }
}
