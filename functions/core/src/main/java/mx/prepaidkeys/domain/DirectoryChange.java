package mx.prepaidkeys.domain;

import java.time.Instant;

/** What an assignment or a correction does to the distributor's client directory, in the key's own transaction. */
public sealed interface DirectoryChange {

    /** A client not in the directory yet: its item and its words, on the condition that it still is not. */
    record Added(DirectoryClient client) implements DirectoryChange {}

    /** One more key for a client in the directory: its count, and when it last got one. */
    record KeyAdded(DistributorId distributorId, String rfc, Instant at) implements DirectoryChange {}

    /** One key less (a corrected assignment took it away), on the condition that the client is there. */
    record KeyRemoved(DistributorId distributorId, String rfc) implements DirectoryChange {}

    /** The change for a key going to {@code client}: added, or one more key for the client found. */
    static DirectoryChange keyTo(DistributorId distributorId, Client client, DirectoryClient found, Instant at) {
        return found == null ? new Added(DirectoryClient.firstAssigned(distributorId, client, at))
                : new KeyAdded(distributorId, client.rfc(), at);
    }
}
