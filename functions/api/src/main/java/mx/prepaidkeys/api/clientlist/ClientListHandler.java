package mx.prepaidkeys.api.clientlist;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import mx.prepaidkeys.clients.ClientBook;
import mx.prepaidkeys.config.AwsFunction;
import mx.prepaidkeys.domain.ClientWords;
import mx.prepaidkeys.domain.TextPolicy;
import mx.prepaidkeys.edge.ApiHandler;
import mx.prepaidkeys.edge.ApiRequest;
import mx.prepaidkeys.edge.ApiResponse;
import mx.prepaidkeys.edge.Audience;
import mx.prepaidkeys.edge.CalledBy;
import mx.prepaidkeys.edge.DirectoryClientView;
import mx.prepaidkeys.edge.QueryParameters;

/**
 * {@code GET /v1/clients}: "Clientes", the caller's distributor's clients by RFC, or with {@code q}
 * those with a name word starting with each word of {@code q} ("gomez", "GÓM" and "ana" find "Ana Gómez").
 */
@AwsFunction(awsActions = {"dynamodb:Query", "dynamodb:BatchGetItem", "secretsmanager:GetSecretValue"}, environment = {"TABLE_NAME", "PEPPER_SECRET_ARN"})
@CalledBy(Audience.DISTRIBUTORS)
public class ClientListHandler extends ApiHandler {
    private static final Set<String> NAMES = Set.of("q", "limit", "cursor");

    @Inject
    ClientBook book;

    @Override
    protected ApiResponse handle(ApiRequest request) {
        QueryParameters parameters = new QueryParameters(request.query(), NAMES);
        List<String> prefixes = prefixes(parameters.get("q"), parameters);
        int limit = parameters.limit("limit", ClientBook.DEFAULT_LIMIT, ClientBook.MAX_LIMIT, "request.query.limit");
        String cursor = parameters.cursor("cursor");
        parameters.end();
        ClientBook.Page page = book.list(request.distributor(), prefixes, limit, cursor);
        return ApiResponse.ok(new ClientPageView(page.clients().stream().map(DirectoryClientView::of).toList(), page.nextCursor()));
    }

    /** The words of {@code q}, normalised; none when absent. Held to the names' text policy, as the names are. */
    private static List<String> prefixes(String q, QueryParameters parameters) {
        if (q == null) return List.of();
        boolean nameText = q.length() <= ClientWords.MAX_QUERY && TextPolicy.check(q, TextPolicy.Kind.NAME).accepted();
        List<String> prefixes = nameText ? ClientWords.prefixes(q) : List.of();
        if (prefixes.isEmpty()) parameters.reject("q", "request.query.clientSearch");
        return prefixes;
    }

    /** @param nextCursor null on the last page */
    @Serdeable
    public record ClientPageView(List<DirectoryClientView> items, String nextCursor) {}
}
