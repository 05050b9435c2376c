package mx.prepaidkeys.domain;

import java.time.Instant;

/**
 * A key given to a client: who did it ({@code sub} and username) and when.
 *
 * @param rfcCheckDigitOverridden the user confirmed an RFC whose check digit did not match
 */
public record Assignment(Client client, Instant assignedAt, UserId bySub, String byUsername, boolean rfcCheckDigitOverridden) {
    /** How long a key given to the wrong client can still be given to the right one; then the assignment is final. */
    public static final java.time.Duration CORRECTION_WINDOW = java.time.Duration.ofHours(72);

    /** Whether the assignment can still be corrected at {@code now}. */
    public boolean correctableAt(Instant now) {
        return now.isBefore(assignedAt.plus(CORRECTION_WINDOW));
    }
}
