package mx.prepaidkeys.local;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the HTTP API JWT authorizer does, locally: take the bearer token from {@code Authorization},
 * check its RS256 signature against the pool's JWKS, its issuer, its expiry, and that {@code aud}
 * (ID tokens) or {@code client_id} (access tokens) is the app client; then hand the claims on as
 * strings, lists flattened to {@code [a b]}, as API Gateway does.
 */
public final class JwtAuthorizer {
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final String audience;

    public JwtAuthorizer(String issuer, URI jwks, String audience) {
        this.audience = audience;
        try {
            JWKSource<SecurityContext> keys = JWKSourceBuilder.create(jwks.toURL()).retrying(true).build();
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("bad JWKS URL " + jwks, e);
        }
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("exp", "iat", "sub")));
    }

    /** A refusal: the gateway answers 401 with this reason in {@code www-authenticate}. */
    public static final class Unauthorized extends Exception {
        public Unauthorized(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The claims as API Gateway passes them to the function, or {@link Unauthorized}. */
    public Map<String, String> authorize(String authorization) throws Unauthorized {
        if (authorization == null || authorization.isBlank()) throw new Unauthorized("missing token");
        String token = authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.substring(7).trim() : authorization.trim();
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (Exception e) {
            throw new Unauthorized(e.getMessage() == null ? "invalid token" : e.getMessage());
        }
        List<String> audiences = claims.getAudience();
        Object clientId = claims.getClaim("client_id");
        if (!audiences.contains(audience) && !audience.equals(clientId)) throw new Unauthorized("invalid audience");

        Map<String, String> flattened = new LinkedHashMap<>();
        for (var entry : claims.getClaims().entrySet()) flattened.put(entry.getKey(), flatten(entry.getValue()));
        return flattened;
    }

    private static String flatten(Object value) {
        if (value instanceof java.util.Date date) return Long.toString(date.getTime() / 1000);
        if (value instanceof List<?> list) return list.stream().map(String::valueOf).collect(Collectors.joining(" ", "[", "]"));
        return String.valueOf(value);
    }
}
