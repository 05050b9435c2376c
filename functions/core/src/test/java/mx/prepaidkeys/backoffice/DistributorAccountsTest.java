package mx.prepaidkeys.backoffice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mx.prepaidkeys.activation.PageCursor;
import mx.prepaidkeys.domain.BackOfficeUser;
import mx.prepaidkeys.domain.Distributor;
import mx.prepaidkeys.domain.DistributorId;
import mx.prepaidkeys.domain.DomainError;
import mx.prepaidkeys.domain.DomainException;
import mx.prepaidkeys.domain.InMemoryDistributors;
import mx.prepaidkeys.domain.SecretKeys;
import mx.prepaidkeys.domain.UserId;
import org.junit.jupiter.api.Test;

/** Accounts saved by an admin (DistributorAccounts), read back, listed in id order a page at a time with the back office's own cursors. */
class DistributorAccountsTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private final InMemoryDistributors distributors = new InMemoryDistributors();
    private final PageCursor cursors = new PageCursor(new SecretKeys(Map.of(1,
            "a secret of at least thirty-two bytes, for tests".getBytes(StandardCharsets.UTF_8)), 1));
    private final DistributorAccounts accounts = new DistributorAccounts(distributors, Clock.fixed(NOW, ZoneOffset.UTC));
    private final DistributorListing listing = new DistributorListing(distributors, cursors, Clock.fixed(NOW, ZoneOffset.UTC));
    private final BackOfficeUser admin = new BackOfficeUser(new UserId("sub-admin"), "admin");

    private DistributorAccounts.Saved save(String id, Distributor.Status status) {
        return accounts.save(admin, new DistributorId(id),
                new DistributorAccounts.Changes("Distribuidora " + id, "DNO010101AB0", id + "@example.com", status));
    }

    @Test
    void an_account_is_created_then_updated_with_who_and_when() {
        assertTrue(save("dist-a", Distributor.Status.ACTIVE).created());
        var updated = save("dist-a", Distributor.Status.SUSPENDED);
        assertFalse(updated.created());
        Distributor read = accounts.find(new DistributorId("dist-a"));
        assertEquals(Distributor.Status.SUSPENDED, read.status());
        assertEquals(new UserId("sub-admin"), read.updatedBySub());
        assertEquals("admin", read.updatedByUsername());
        assertEquals(NOW, read.updatedAt());
    }

    @Test
    void an_unknown_account_is_not_found() {
        var thrown = assertThrows(DomainException.class, () -> accounts.find(new DistributorId("nobody")));
        assertInstanceOf(DomainError.NotFound.class, thrown.error());
    }

    @Test
    void the_list_pages_in_id_order_and_refuses_a_distributors_or_edited_cursor() {
        for (String id : List.of("dist-c", "dist-a", "dist-e", "dist-b", "dist-d")) save(id, Distributor.Status.ACTIVE);
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var page = listing.list(2, cursor);
            page.distributors().forEach(d -> seen.add(d.id().value()));
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null);
        assertEquals(List.of("dist-a", "dist-b", "dist-c", "dist-d", "dist-e"), seen);
        assertEquals(3, pages);
        assertNull(listing.list(5, null).nextCursor());

        String genuine = listing.list(2, null).nextCursor();
        String edited = genuine.substring(0, genuine.length() - 2) + (genuine.endsWith("AA") ? "BB" : "AA");
        String distributors = cursors.encode("dist-b", new DistributorId("dist-a"), "admin-distributors\n", NOW);
        for (String refused : List.of(edited, distributors)) {
            var thrown = assertThrows(DomainException.class, () -> listing.list(2, refused));
            assertInstanceOf(DomainError.CursorInvalid.class, thrown.error(), refused);
        }
    }
}
