package mx.prepaidkeys.edge;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import mx.prepaidkeys.domain.BackOfficeUser;
import mx.prepaidkeys.domain.DistributorId;
import mx.prepaidkeys.domain.DistributorUser;
import mx.prepaidkeys.domain.UserId;

/**
 * Who is calling, from the claims the HTTP API JWT authorizer verified and put in
 * {@code requestContext.authorizer.jwt.claims}. The API takes Cognito ID tokens only: the
 * authorizer also lets the pool's access tokens through (it checks {@code client_id} for them), and
 * those carry neither the email nor the custom distributor attribute, so {@link #isIdToken()}
 * decides before anything else.
 *
 * @param username      {@code cognito:username}: with {@code sub}, what records name the caller by
 * @param emailVerified {@code email_verified}: only a verified address gets email
 * @param tokenUse      {@code token_use}: {@code id} for an ID token
 */
public record Caller(String sub, String username, String email, boolean emailVerified, String name, Set<String> groups,
                     String distributorId, String locale, String tokenUse) {
    public static final String DISTRIBUTORS = "distributors";
    public static final String ADMINS = "admins";

    public static Caller fromClaims(Map<String, String> claims) {
        if (claims == null) claims = Map.of();
        return new Caller(
                blankToNull(claims.get("sub")),
                blankToNull(claims.get("cognito:username")),
                blankToNull(claims.get("email")),
                // API Gateway passes claims as text: a JSON true arrives as "true"
                "true".equalsIgnoreCase(String.valueOf(claims.get("email_verified")).trim()),
                blankToNull(claims.get("name")),
                groups(claims.get("cognito:groups")),
                blankToNull(claims.get("custom:distributor_id")),
                blankToNull(claims.get("locale")),
                blankToNull(claims.get("token_use")));
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

    /** An ID token, and nothing else, identifies a caller here. */
    public boolean isIdToken() {
        return "id".equals(tokenUse);
    }

    /** Distributor ids become part of index keys: a claim that is not a {@link DistributorId} makes nobody a distributor. */
    public boolean isDistributor() {
        return groups.contains(DISTRIBUTORS) && hasUserId() && email != null && DistributorId.parse(distributorId).isPresent();
    }

    public boolean isAdmin() {
        return groups.contains(ADMINS) && hasUserId();
    }

    /** A {@code sub} that can name the caller in records ({@link UserId}); the pool's are UUIDs. */
    private boolean hasUserId() {
        return UserId.parse(sub).isPresent();
    }

    public DistributorUser asDistributorUser() {
        return new DistributorUser(new UserId(sub), username, email, emailVerified, name, new DistributorId(distributorId), locale);
    }

    public BackOfficeUser asBackOfficeUser() {
        return new BackOfficeUser(new UserId(sub), username == null ? sub : username);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
