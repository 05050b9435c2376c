package mx.prepaidkeys.api.reportactivations;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import mx.prepaidkeys.api.list.ListHandler;
import mx.prepaidkeys.backoffice.ActivationReport;
import mx.prepaidkeys.backoffice.ActivationReport.GroupBy;
import mx.prepaidkeys.config.AwsFunction;
import mx.prepaidkeys.edge.ApiHandler;
import mx.prepaidkeys.edge.ApiRequest;
import mx.prepaidkeys.edge.ApiResponse;
import mx.prepaidkeys.edge.Audience;
import mx.prepaidkeys.edge.CalledBy;
import mx.prepaidkeys.edge.QueryParameters;

/**
 * {@code GET /v1/admin/reports/activations}: activations per distributor, product or month
 * ({@code groupBy}, distributor by default) over {@code from} to {@code to}, Mexico City days (the
 * day a key's activation is counted on everywhere else), both included and required, at most
 * {@value ActivationReport#MAX_DAYS} days; JSON, or CSV with {@code Accept: text/csv}. Read from the
 * aggregates the stream keeps: a fresh activation shows within seconds, not in the same instant.
 */
@AwsFunction(awsActions = {"dynamodb:Query", "secretsmanager:GetSecretValue"}, environment = {"TABLE_NAME", "PEPPER_SECRET_ARN"})
@CalledBy(Audience.ADMINS)
public class ReportActivationsHandler extends ApiHandler {
    private static final Set<String> NAMES = Set.of("from", "to", "groupBy");
    private static final Map<String, GroupBy> GROUPINGS = Map.of("distributor", GroupBy.DISTRIBUTOR, "product", GroupBy.PRODUCT,
            "month", GroupBy.MONTH);

    @Inject
    ActivationReport report;

    @Override
    protected ApiResponse handle(ApiRequest request) {
        QueryParameters parameters = new QueryParameters(request.query(), NAMES);
        LocalDate from = day(parameters, "from");
        LocalDate to = day(parameters, "to");
        if (from != null && to != null && !ActivationReport.withinLimits(from, to)) parameters.reject("from", "request.query.reportRange");
        String grouping = parameters.get("groupBy");
        GroupBy groupBy = grouping == null ? GroupBy.DISTRIBUTOR : GROUPINGS.get(grouping);
        if (groupBy == null) parameters.reject("groupBy", "request.query.groupBy");
        parameters.end();
        var answer = report.report(from, to, groupBy);
        String grouped = groupBy.name().toLowerCase(Locale.ROOT);
        if (request.acceptsCsv()) {
            StringBuilder csv = new StringBuilder(grouped).append(",activations\r\n");
            for (var row : answer.rows()) csv.append(ListHandler.quote(row.key())).append(',').append(row.activations()).append("\r\n");
            return new ApiResponse(200, csv.toString(), "text/csv; charset=utf-8", Map.of("content-disposition",
                    "attachment; filename=\"activations-" + from + "-" + to + "-" + grouped + ".csv\""));
        }
        return ApiResponse.ok(new ActivationsReport(from.toString(), to.toString(), grouped,
                answer.rows().stream().map(r -> new RowView(r.key(), r.activations())).toList(), answer.total()));
    }

    private static LocalDate day(QueryParameters parameters, String name) {
        String text = parameters.get(name);
        if (text == null) {
            parameters.reject(name, "request.query.required");
            return null;
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            parameters.reject(name, "request.query.date");
            return null;
        }
    }

    @Serdeable
    public record RowView(String key, long activations) {}

    @Serdeable
    public record ActivationsReport(String from, String to, String groupBy, List<RowView> rows, long total) {}
}
