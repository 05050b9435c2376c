package mx.prepaidkeys.domain;

import java.time.Instant;

/**
 * Who confirmed a key, for which distributor, under which licence version, when and from where.
 *
 * @param userSub         the user's {@code sub}
 * @param username        the user's username (the {@code sub} when the caller had none)
 * @param userName        the name the user gave themselves, for emails (may be null)
 * @param emailHeldReason why the confirmation email waits instead of going out (null: it was owed at once)
 */
public record Activation(
        DistributorId distributorId,
        Instant activatedAt,
        UserId userSub,
        String username,
        String userName,
        String licenseVersion,
        String sourceIp,
        String userAgent,
        String emailHeldReason) {

    /** An activation whose confirmation email was owed at once. */
    public Activation(DistributorId distributorId, Instant activatedAt, UserId userSub, String username, String userName,
                      String licenseVersion, String sourceIp, String userAgent) {
        this(distributorId, activatedAt, userSub, username, userName, licenseVersion, sourceIp, userAgent, null);
    }
}
