package mx.prepaidkeys.edge;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import mx.prepaidkeys.domain.DistributorUser;

/**
 * Who is calling, from the claims the HTTP API JWT authorizer verified and put in
 * {@code requestContext.authorizer.jwt.claims}. The API expects Cognito ID tokens: access tokens
 * carry neither the email nor the custom distributor attribute.
 */
public record Caller(String sub, String email, String name, Set<String> groups, String distributorId, String locale) {
    public static final String DISTRIBUTORS = "distributors";
    public static final String ADMINS = "admins";
    /** Distributor ids become part of index keys: a strict alphabet keeps them from forging one. */
    private static final Pattern DISTRIBUTOR_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    public static Caller fromClaims(Map<String, String> claims) {
        if (claims == null) claims = Map.of();
        return new Caller(
                blankToNull(claims.get("sub")),
                blankToNull(claims.get("email")),
                blankToNull(claims.get("name")),
                groups(claims.get("cognito:groups")),
                blankToNull(claims.get("custom:distributor_id")),
                blankToNull(claims.get("locale")));
    }

    /**
     * API Gateway flattens the groups array into text: {@code [admins distributors]} for a JWT
     * authorizer, sometimes {@code ["a","b"]} or {@code a,b} from other tooling. All are accepted.
     */
    static Set<String> groups(String claim) {
        if (claim == null || claim.isBlank()) return Set.of();
        String inner = claim.trim();
        if (inner.startsWith("[") && inner.endsWith("]")) inner = inner.substring(1, inner.length() - 1);
        return Arrays.stream(inner.split("[,\\s]+"))
                .map(group -> group.replace("\"", "").trim())
                .filter(group -> !group.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    public boolean isDistributor() {
        return groups.contains(DISTRIBUTORS) && sub != null && email != null
                && distributorId != null && DISTRIBUTOR_ID.matcher(distributorId).matches();
    }

    public boolean isAdmin() {
        return groups.contains(ADMINS) && sub != null;
    }

    public DistributorUser asDistributorUser() {
        return new DistributorUser(sub, email, name, distributorId, locale);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
