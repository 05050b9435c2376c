package mx.prepaidkeys.domain;

import java.time.Instant;

/** The back office took a key out of use: why, when, who. */
public record Voiding(String reason, Instant at, String bySub, String byEmail) {}
