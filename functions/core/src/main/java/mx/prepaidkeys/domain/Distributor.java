package mx.prepaidkeys.domain;

import java.time.Instant;

/**
 * A distributor account as the back office keeps it: who the company is (name, RFC, contact address)
 * and whether its users may work. Suspending takes nothing away (keys, counts, history stay as they
 * are): its users can read but not capture, confirm or assign until it is active again.
 *
 * @param updatedBySub      the admin who last saved it
 * @param updatedByUsername that admin's username, for the record
 */
public record Distributor(DistributorId id, String name, String rfc, String contactEmail, Status status, Instant updatedAt,
                          UserId updatedBySub, String updatedByUsername) {

    public enum Status { ACTIVE, SUSPENDED }

    public boolean suspended() {
        return status == Status.SUSPENDED;
    }
}
