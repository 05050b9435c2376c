package mx.prepaidkeys.api.keyfind;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import mx.prepaidkeys.activation.PageCursor;
import mx.prepaidkeys.backoffice.KeyFinder;
import mx.prepaidkeys.domain.DistributorId;
import mx.prepaidkeys.domain.DomainError;
import mx.prepaidkeys.domain.DomainException;
import mx.prepaidkeys.domain.KeySearch;
import mx.prepaidkeys.domain.KeyStatus;
import mx.prepaidkeys.domain.PrepaidKeyCode;
import mx.prepaidkeys.edge.QueryParameters;

/**
 * The back office's search, read strictly. It starts from {@code suffix}, {@code batchId} or
 * {@code distributorId} (the most selective given leads, the others narrow it), and {@code status},
 * {@code product} and {@code clientRfc} only narrow: without a lead the answer is 400 naming the
 * parameters, since "every USED key" or "every key of a product" would need an index that every key
 * of the table is written to, and the batch list counts those.
 */
final class FindParameters {
    private static final Set<String> NAMES = Set.of("suffix", "batchId", "distributorId", "clientRfc", "status", "product", "limit",
            "cursor");
    private static final List<String> LEADS = List.of("suffix", "batchId", "distributorId");
    /** A batch id, in either case (ids are lower case; people copy them from anywhere). */
    private static final Pattern BATCH_ID = Pattern.compile("[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{16}");
    /** An RFC is 12 or 13 characters; with the spaces, dots and dashes people write it with, no more than this. */
    private static final int MAX_RFC_TYPED = 40;
    /** The masked form of a key as the desk shows it, or as people write it on paper. */
    private static final Pattern MASK = Pattern.compile("(?:\\*{20}|[Xx]{20})");

    private FindParameters() {}

    static KeyFinder.Query parse(Map<String, String> query) {
        QueryParameters parameters = new QueryParameters(query, NAMES);
        String suffix = suffix(query.get("suffix"), parameters);
        String batchId = query.get("batchId");
        if (batchId != null && !BATCH_ID.matcher(batchId).matches()) parameters.reject("batchId", "request.query.batchId");
        if (batchId != null) batchId = batchId.toLowerCase(Locale.ROOT);
        String typedDistributor = query.get("distributorId");
        DistributorId distributorId = typedDistributor == null ? null : DistributorId.parse(typedDistributor).orElse(null);
        if (typedDistributor != null && distributorId == null) parameters.reject("distributorId", "request.query.distributorId");
        String typedRfc = query.get("clientRfc");
        String clientRfc = typedRfc == null || typedRfc.length() > MAX_RFC_TYPED ? null : QueryParameters.rfc(typedRfc);
        if (query.get("clientRfc") != null && clientRfc == null) parameters.reject("clientRfc", "request.query.clientRfc");
        Set<KeyStatus> statuses = parameters.statuses("status", KeySearch.ALL, "request.query.anyStatus");
        String product = parameters.product("product");
        int limit = parameters.limit("limit", KeyFinder.DEFAULT_LIMIT, KeyFinder.MAX_LIMIT, "request.query.limit");
        String cursor = parameters.cursor("cursor");
        // A cursor no cursor could be is refused as such, whatever else the query lacks.
        if (cursor != null && cursor.length() > PageCursor.MAX_LENGTH) throw new DomainException(new DomainError.CursorInvalid());
        if (LEADS.stream().noneMatch(query::containsKey)) {
            for (String name : LEADS) parameters.reject(name, "request.query.findLead");
            for (String name : List.of("status", "product", "clientRfc")) {
                if (query.containsKey(name)) parameters.reject(name, "request.query.findLead");
            }
        }
        parameters.end();
        return new KeyFinder.Query(new KeySearch(suffix, batchId, distributorId, clientRfc, statuses, product), limit, cursor);
    }

    /**
     * The key's last five symbols as people read them out: case, dashes and spaces aside, look-alikes
     * forgiven, or the whole masked key ({@code *****-*****-*****-*****-7Q2MA}, or with X for the stars).
     */
    private static String suffix(String parameter, QueryParameters parameters) {
        if (parameter == null) return null;
        if (parameter.length() <= PrepaidKeyCode.MAX_TYPED_LENGTH) {
            String compact = parameter.replaceAll("[\\s-]", "");
            if (compact.length() == PrepaidKeyCode.LENGTH && MASK.matcher(compact.substring(0, 20)).matches()) {
                compact = compact.substring(20);
            }
            String symbols = QueryParameters.keySymbols(compact);
            if (symbols != null && symbols.length() == KeySearch.SUFFIX_LENGTH) return symbols;
        }
        parameters.reject("suffix", "request.query.keySuffix");
        return null;
    }
}
