package mx.prepaidkeys.domain;

import java.time.Instant;

/**
 * A client in its distributor's directory ("Clientes"): filled by assignments, its name, email and
 * notes then kept by the distributor.
 *
 * @param email      null until the distributor gives one
 * @param notes      null until the distributor writes some
 * @param keyCount   the distributor's keys assigned to this client now
 * @param version    the stored version an edit is conditional on (0 before it is stored)
 */
public record DirectoryClient(DistributorId distributorId, String rfc, String name, String email, String notes,
                              Instant firstAssignedAt, Instant lastAssignedAt, int keyCount, long version) {
    public static final int MAX_EMAIL = 254;
    public static final int MAX_NOTES = 1000;

    /** A client met for the first time, in an assignment. */
    public static DirectoryClient firstAssigned(DistributorId distributorId, Client client, Instant at) {
        return new DirectoryClient(distributorId, client.rfc(), client.name(), null, null, at, at, 1, 1);
    }

    public DirectoryClient edited(String newName, String newEmail, String newNotes) {
        return new DirectoryClient(distributorId, rfc, newName, newEmail, newNotes, firstAssignedAt, lastAssignedAt, keyCount, version + 1);
    }
}
