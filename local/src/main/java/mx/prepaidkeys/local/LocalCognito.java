package mx.prepaidkeys.local;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeDataType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ExplicitAuthFlowsType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.MessageActionType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.SchemaAttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.TimeUnitsType;

/**
 * The user pool of the local stack on cognito-local: the same pool, app client, groups and custom
 * attribute the template creates in AWS, and the demo users.
 */
public final class LocalCognito implements AutoCloseable {
    private final CognitoIdentityProviderClient cognito;

    public LocalCognito(URI endpoint) {
        this.cognito = CognitoIdentityProviderClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .endpointOverride(endpoint)
                .build();
    }

    public record Pool(String userPoolId, String clientId) {}

    /** The pool of an earlier start when it is still there, otherwise a new one. */
    public Pool ensurePool(String name, Pool earlier) {
        if (earlier != null && exists(earlier)) return earlier;
        String poolId = cognito.createUserPool(r -> r.poolName(name)
                .adminCreateUserConfig(c -> c.allowAdminCreateUserOnly(true))
                .aliasAttributes(software.amazon.awssdk.services.cognitoidentityprovider.model.AliasAttributeType.EMAIL)
                .schema(SchemaAttributeType.builder().name("distributor_id").attributeDataType(AttributeDataType.STRING)
                        .mutable(true).build()))
                .userPool().id();
        String clientId = cognito.createUserPoolClient(r -> r.userPoolId(poolId).clientName("desk").generateSecret(false)
                .explicitAuthFlows(ExplicitAuthFlowsType.ALLOW_USER_PASSWORD_AUTH, ExplicitAuthFlowsType.ALLOW_REFRESH_TOKEN_AUTH)
                .idTokenValidity(60).accessTokenValidity(60)
                .tokenValidityUnits(u -> u.idToken(TimeUnitsType.MINUTES).accessToken(TimeUnitsType.MINUTES)))
                .userPoolClient().clientId();
        for (String group : List.of("admins", "distributors")) {
            cognito.createGroup(r -> r.userPoolId(poolId).groupName(group));
        }
        return new Pool(poolId, clientId);
    }

    private boolean exists(Pool pool) {
        try {
            cognito.describeUserPoolClient(r -> r.userPoolId(pool.userPoolId()).clientId(pool.clientId()));
            return true;
        } catch (ResourceNotFoundException gone) {
            return false;
        }
    }

    /** Creates the user with a permanent password and its groups, unless it exists; returns its {@code sub}. */
    public String ensureUser(Pool pool, DemoData.DemoUser user) {
        return ensureUser(pool, user, true);
    }

    /**
     * Like {@link #ensureUser(Pool, DemoData.DemoUser)}, with the address verified or not. cognito-local
     * reads any value of {@code email_verified} as true (JavaScript's {@code Boolean("false")}), so an
     * unverified user is one created without the attribute: its ID token says {@code email_verified: false}.
     */
    public String ensureUser(Pool pool, DemoData.DemoUser user, boolean emailVerified) {
        try {
            return sub(cognito.adminGetUser(r -> r.userPoolId(pool.userPoolId()).username(user.username())).userAttributes());
        } catch (software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotFoundException absent) {
            List<AttributeType> attributes = new ArrayList<>(List.of(
                    attribute("email", user.email()), attribute("name", user.name()), attribute("locale", user.locale())));
            if (emailVerified) attributes.add(attribute("email_verified", "true"));
            if (user.distributorId() != null) attributes.add(attribute("custom:distributor_id", user.distributorId()));
            var created = cognito.adminCreateUser(r -> r.userPoolId(pool.userPoolId()).username(user.username())
                    .messageAction(MessageActionType.SUPPRESS).userAttributes(attributes)).user();
            cognito.adminSetUserPassword(r -> r.userPoolId(pool.userPoolId()).username(user.username())
                    .password(user.password()).permanent(true));
            for (String group : user.groups()) {
                cognito.adminAddUserToGroup(r -> r.userPoolId(pool.userPoolId()).username(user.username()).groupName(group));
            }
            return sub(created.attributes());
        }
    }

    /** Signs in as a browser would with USER_PASSWORD_AUTH and returns the ID token. */
    public String idToken(Pool pool, String username, String password) {
        return cognito.initiateAuth(r -> r.clientId(pool.clientId()).authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                .authParameters(java.util.Map.of("USERNAME", username, "PASSWORD", password)))
                .authenticationResult().idToken();
    }

    /**
     * Signs in like {@link #idToken} and returns the access token: the HTTP API's JWT authorizer
     * accepts it too (it checks {@code client_id}), so the functions must refuse it themselves.
     */
    public String accessToken(Pool pool, String username, String password) {
        return cognito.initiateAuth(r -> r.clientId(pool.clientId()).authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                .authParameters(java.util.Map.of("USERNAME", username, "PASSWORD", password)))
                .authenticationResult().accessToken();
    }

    /** Marks the user's address verified, as the user's confirmation code would. */
    public void verifyEmail(Pool pool, String username) {
        // cognito-local takes email_verified only beside the email it verifies
        String email = cognito.adminGetUser(r -> r.userPoolId(pool.userPoolId()).username(username)).userAttributes().stream()
                .filter(a -> a.name().equals("email")).map(AttributeType::value).findFirst().orElseThrow();
        cognito.adminUpdateUserAttributes(r -> r.userPoolId(pool.userPoolId()).username(username)
                .userAttributes(attribute("email", email), attribute("email_verified", "true")));
    }

    private static String sub(List<AttributeType> attributes) {
        return attributes.stream().filter(a -> a.name().equals("sub")).map(AttributeType::value).findFirst()
                .orElseThrow(() -> new IllegalStateException("cognito-local returned a user without sub"));
    }

    private static AttributeType attribute(String name, String value) {
        return AttributeType.builder().name(name).value(value).build();
    }

    @Override
    public void close() {
        cognito.close();
    }
}
