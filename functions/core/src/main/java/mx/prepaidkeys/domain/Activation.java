package mx.prepaidkeys.domain;

import java.time.Instant;

/** Who confirmed a key, for which distributor, under which licence version, when and from where. */
public record Activation(
        String distributorId,
        Instant activatedAt,
        String userSub,
        String userEmail,
        String userName,
        String licenseVersion,
        String sourceIp,
        String userAgent) {}
