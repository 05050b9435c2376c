package mx.prepaidkeys.clients;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import mx.prepaidkeys.activation.PageCursor;
import mx.prepaidkeys.domain.ClientDirectory;
import mx.prepaidkeys.domain.ClientDirectory.ClientChangedConcurrently;
import mx.prepaidkeys.domain.ClientDirectory.ClientPage;
import mx.prepaidkeys.domain.ClientRfc;
import mx.prepaidkeys.domain.DirectoryClient;
import mx.prepaidkeys.domain.DistributorUser;
import mx.prepaidkeys.domain.DomainError;
import mx.prepaidkeys.domain.DomainException;

/**
 * "Clientes": the caller's distributor's clients, listed, searched by any word of the name, read and
 * edited. Another distributor's client does not exist for the caller (404).
 */
@Singleton
public class ClientBook {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 100;

    private final ClientDirectory directory;
    private final PageCursor cursors;
    private final Clock clock;

    public ClientBook(ClientDirectory directory, PageCursor cursors, Clock clock) {
        this.directory = directory;
        this.cursors = cursors;
        this.clock = clock;
    }

    /**
     * A page of clients: every one by RFC, or those whose name has a word starting with each prefix.
     *
     * @param prefixes empty for every client
     * @param cursor   null for the first page
     */
    public Page list(DistributorUser user, List<String> prefixes, int limit, String cursor) {
        Instant now = clock.instant();
        // The cursor is bound to the search: a position in one word's index means nothing in another's.
        String fingerprint = "clients\n" + String.join(" ", prefixes);
        String after = cursor == null ? null : cursors.decode(cursor, user.distributorId(), fingerprint, now);
        ClientPage page = prefixes.isEmpty() ? directory.list(user.distributorId(), limit, after)
                : directory.search(user.distributorId(), prefixes, limit, after);
        String next = page.nextPosition() == null ? null : cursors.encode(page.nextPosition(), user.distributorId(), fingerprint, now);
        return new Page(page.clients(), next);
    }

    public DirectoryClient get(DistributorUser user, String rfc) {
        return directory.find(user.distributorId(), canonical(rfc)).orElseThrow(ClientBook::notFound);
    }

    /**
     * Edits a client's name, email and notes (each already checked). An edit that meets another is
     * made again on what that one stored: the last one wins, and the word index follows it.
     */
    public DirectoryClient update(DistributorUser user, String rfc, String name, String email, String notes) {
        for (int attempt = 1; ; attempt++) {
            DirectoryClient before = get(user, rfc);
            DirectoryClient after = before.edited(name, email, notes);
            try {
                directory.update(before, after);
                return after;
            } catch (ClientChangedConcurrently meanwhile) {
                if (attempt == 3) throw meanwhile;
            }
        }
    }

    /** An RFC as the directory keys it (a wrong check digit is no reason to refuse a read: such RFCs are stored). */
    public static String canonical(String rfc) {
        return ClientRfc.parse(rfc, true).value();
    }

    private static DomainException notFound() {
        return new DomainException(new DomainError.NotFound());
    }

    /** @param nextCursor null on the last page */
    public record Page(List<DirectoryClient> clients, String nextCursor) {}
}
