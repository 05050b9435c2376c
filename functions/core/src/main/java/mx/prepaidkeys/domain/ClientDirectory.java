package mx.prepaidkeys.domain;

import java.util.List;
import java.util.Optional;

/**
 * A distributor's clients. Assignments fill it in their own transaction ({@link KeyRepository#saveAssignment});
 * here it is read and edited. One implementation owns the layout: {@code DynamoClientDirectory}.
 */
public interface ClientDirectory {

    Optional<DirectoryClient> find(DistributorId distributorId, String rfc);

    /**
     * A page of the distributor's clients by RFC.
     *
     * @param after the {@link ClientPage#nextPosition()} of the previous page, or null for the first
     */
    ClientPage list(DistributorId distributorId, int limit, String after);

    /**
     * A page of the clients with a name word starting with the first prefix (one Query of the word
     * index) whose name has a word for every other prefix too.
     *
     * @param prefixes as {@link ClientWords#prefixes} gives them, at least one
     */
    ClientPage search(DistributorId distributorId, List<String> prefixes, int limit, String after);

    /**
     * Stores an edit: the client item on the condition that it is still the version read, and the
     * word index follows the name (words of the old name only are deleted, new ones written), in one transaction.
     *
     * @throws ClientChangedConcurrently when the client changed since it was read
     */
    void update(DirectoryClient before, DirectoryClient after);

    /**
     * Writes clients and their words in bulk, no conditions: benchmarks, and a migration of a directory
     * kept elsewhere. Not for clients that may exist (their old words would stay).
     */
    KeyRepository.WriteStats importClients(List<DirectoryClient> clients);

    /**
     * A page and where the next one starts (null at the end). A search page can be short: follow the position.
     * A client whose name has two words with the searched prefix can appear on two pages.
     */
    record ClientPage(List<DirectoryClient> clients, String nextPosition) {}

    final class ClientChangedConcurrently extends RuntimeException {
        public ClientChangedConcurrently(String rfc) {
            super("client " + rfc + " changed concurrently", null, false, false);
        }
    }
}
