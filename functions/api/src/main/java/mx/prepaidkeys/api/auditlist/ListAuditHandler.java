package mx.prepaidkeys.api.auditlist;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import mx.prepaidkeys.backoffice.AuditListing;
import mx.prepaidkeys.config.AwsFunction;
import mx.prepaidkeys.domain.Timestamps;
import mx.prepaidkeys.edge.ApiHandler;
import mx.prepaidkeys.edge.ApiRequest;
import mx.prepaidkeys.edge.ApiResponse;
import mx.prepaidkeys.edge.Audience;
import mx.prepaidkeys.edge.CalledBy;
import mx.prepaidkeys.edge.QueryParameters;

/**
 * {@code GET /v1/admin/audit}: the back office's writes, newest first: who (sub and username), what,
 * on what, when and in which request. {@code from} and {@code to} are days in Mexico City, both
 * included, at most {@value AuditListing#MAX_DAYS} apart (the last 30 days by default);
 * {@code actor} (a username or sub) and {@code action} narrow it.
 */
@AwsFunction(awsActions = {"dynamodb:Query", "secretsmanager:GetSecretValue"}, environment = {"TABLE_NAME", "PEPPER_SECRET_ARN"})
@CalledBy(Audience.ADMINS)
public class ListAuditHandler extends ApiHandler {
    private static final Set<String> NAMES = Set.of("from", "to", "actor", "action", "limit", "cursor");
    public static final Set<String> ACTIONS = Set.of("PRODUCT_SAVED", "BATCH_MINTED", "BATCH_VOIDED", "KEY_VOIDED", "EMAIL_RESENT",
            "LOCK_LIFTED", "DISTRIBUTOR_SAVED");
    private static final Pattern ACTOR = Pattern.compile("[A-Za-z0-9._@+-]{1,128}");

    @Inject
    AuditListing listing;

    @Inject
    Clock clock;

    @Override
    protected ApiResponse handle(ApiRequest request) {
        QueryParameters parameters = new QueryParameters(request.query(), NAMES);
        LocalDate today = clock.instant().atZone(Timestamps.MEXICO_CITY).toLocalDate();
        LocalDate to = day(parameters, "to", today);
        LocalDate from = day(parameters, "from", to.minusDays(29));
        if (from.isAfter(to)) parameters.reject("from", "request.query.auditRange");
        else if (from.plusDays(AuditListing.MAX_DAYS).isBefore(to.plusDays(1))) parameters.reject("from", "request.query.auditRange");
        String actor = parameters.get("actor");
        if (actor != null && !ACTOR.matcher(actor).matches()) parameters.reject("actor", "request.query.actor");
        String action = parameters.get("action");
        if (action != null && !ACTIONS.contains(action)) parameters.reject("action", "request.query.auditAction");
        int limit = parameters.limit("limit", AuditListing.DEFAULT_LIMIT, AuditListing.MAX_LIMIT, "request.query.limit");
        String cursor = parameters.cursor("cursor");
        parameters.end();
        var page = listing.list(from.atStartOfDay(Timestamps.MEXICO_CITY).toInstant(),
                to.plusDays(1).atStartOfDay(Timestamps.MEXICO_CITY).toInstant(), actor, action, limit, cursor);
        return ApiResponse.ok(new AuditList(page.entries().stream().map(e -> new EntryView(Timestamps.format(e.at()), e.actorSub().value(),
                e.actorUsername(), e.action(), e.target(), e.requestId())).toList(), page.nextCursor()));
    }

    private static LocalDate day(QueryParameters parameters, String name, LocalDate fallback) {
        String text = parameters.get(name);
        if (text == null) return fallback;
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            parameters.reject(name, "request.query.date");
            return fallback;
        }
    }

    @Serdeable
    public record EntryView(String at, String actorSub, String actorUsername, String action, String target, String requestId) {}

    @Serdeable
    public record AuditList(List<EntryView> items, String nextCursor) {}
}
