package mx.prepaidkeys.domain;

/**
 * A signed-in user of the vendor's back office (group {@code admins}), recorded by {@code sub} and
 * username ({@code cognito:username}), never by an address the user can change.
 */
public record BackOfficeUser(UserId sub, String username) {}
