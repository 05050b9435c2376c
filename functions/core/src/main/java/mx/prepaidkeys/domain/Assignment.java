package mx.prepaidkeys.domain;

import java.time.Instant;

/**
 * A key given to a client: who did it ({@code sub} and username) and when.
 *
 * @param rfcCheckDigitOverridden the user confirmed an RFC whose check digit did not match
 */
public record Assignment(Client client, Instant assignedAt, UserId bySub, String byUsername, boolean rfcCheckDigitOverridden) {}
