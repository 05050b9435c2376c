package mx.prepaidkeys.domain;

import java.util.Map;

/**
 * How many of the caller's keys match a filter, by the status people see.
 *
 * @param complete false when the filter matched more keys than one request counts (client and key
 *                 suffix filters count what they read); the counts are then a lower bound
 */
public record StatusCounts(Map<KeyStatus, Integer> counts, boolean complete) {}
