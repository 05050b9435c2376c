package mx.prepaidkeys.directory;

import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import mx.prepaidkeys.config.ServiceSettings;
import mx.prepaidkeys.domain.DistributorId;
import mx.prepaidkeys.domain.DistributorUsers;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserType;

/**
 * A distributor's users, from the user pool: the members of the {@code distributors} group whose
 * {@code custom:distributor_id} is the distributor's. Cognito's {@code ListUsers} filters only on
 * standard attributes (a custom attribute cannot be a filter), so the group is read a page of 60 at
 * a time and its members are matched here: a read of every distributor's users, which is what a
 * back-office page needs (a pool of thousands of users is a few dozen calls).
 */
@Singleton
public class CognitoDistributorUsers implements DistributorUsers {
    static final String GROUP = "distributors";
    static final String DISTRIBUTOR_ATTRIBUTE = "custom:distributor_id";

    private final CognitoIdentityProviderClient cognito;
    private final ServiceSettings settings;

    public CognitoDistributorUsers(CognitoIdentityProviderClient cognito, ServiceSettings settings) {
        this.cognito = cognito;
        this.settings = settings;
    }

    @Override
    public List<AccountUser> of(DistributorId distributorId) {
        String pool = settings.requireUserPoolId();
        List<AccountUser> users = new ArrayList<>();
        String next = null;
        do {
            String token = next;
            var page = cognito.listUsersInGroup(r -> r.userPoolId(pool).groupName(GROUP).limit(60).nextToken(token));
            for (UserType user : page.users()) {
                if (distributorId.value().equals(attribute(user, DISTRIBUTOR_ATTRIBUTE))) {
                    users.add(new AccountUser(user.username(), attribute(user, "email"), GROUP, Boolean.TRUE.equals(user.enabled()),
                            user.userStatusAsString()));
                }
            }
            next = page.nextToken();
        } while (next != null && !next.isEmpty());
        users.sort(Comparator.comparing(AccountUser::username));
        return users;
    }

    private static String attribute(UserType user, String name) {
        return user.attributes().stream().filter(a -> a.name().equals(name)).map(AttributeType::value).findFirst().orElse(null);
    }
}
