package mx.prepaidkeys.domain;

import java.time.Instant;

/** The back office took a key out of use: why, when, who ({@code sub} and username). */
public record Voiding(String reason, Instant at, UserId bySub, String byUsername) {}
