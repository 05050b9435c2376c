package mx.prepaidkeys.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** The client directory of the use-case tests, in memory, with the store's conditions: a change not as read fails. */
public final class InMemoryClientDirectory implements ClientDirectory {
    private final Map<String, DirectoryClient> clients = new ConcurrentSkipListMap<>();

    private static String key(DistributorId distributorId, String rfc) {
        return distributorId.value() + "/" + rfc;
    }

    /** Refuses changes the stored directory does not allow, before anything of the "transaction" is written. */
    synchronized void check(List<DirectoryChange> changes) {
        for (DirectoryChange change : changes) {
            boolean ok = switch (change) {
                case DirectoryChange.Added a -> !clients.containsKey(key(a.client().distributorId(), a.client().rfc()));
                case DirectoryChange.KeyAdded a -> clients.containsKey(key(a.distributorId(), a.rfc()));
                case DirectoryChange.KeyRemoved r -> clients.containsKey(key(r.distributorId(), r.rfc()))
                        && clients.get(key(r.distributorId(), r.rfc())).keyCount() > 0;
            };
            if (!ok) throw new KeyRepository.KeyChangedConcurrently("directory");
        }
    }

    synchronized void apply(List<DirectoryChange> changes) {
        for (DirectoryChange change : changes) {
            switch (change) {
                case DirectoryChange.Added a -> clients.put(key(a.client().distributorId(), a.client().rfc()), a.client());
                case DirectoryChange.KeyAdded a -> clients.computeIfPresent(key(a.distributorId(), a.rfc()), (k, c) ->
                        new DirectoryClient(c.distributorId(), c.rfc(), c.name(), c.email(), c.notes(), c.firstAssignedAt(), a.at(),
                                c.keyCount() + 1, c.version()));
                case DirectoryChange.KeyRemoved r -> clients.computeIfPresent(key(r.distributorId(), r.rfc()), (k, c) ->
                        new DirectoryClient(c.distributorId(), c.rfc(), c.name(), c.email(), c.notes(), c.firstAssignedAt(),
                                c.lastAssignedAt(), c.keyCount() - 1, c.version()));
            }
        }
    }

    @Override
    public Optional<DirectoryClient> find(DistributorId distributorId, String rfc) {
        return Optional.ofNullable(clients.get(key(distributorId, rfc)));
    }

    @Override
    public ClientPage list(DistributorId distributorId, int limit, String after) {
        List<DirectoryClient> page = new ArrayList<>();
        for (DirectoryClient client : clients.values()) {
            if (client.distributorId().equals(distributorId) && (after == null || client.rfc().compareTo(after) > 0)) page.add(client);
        }
        return new ClientPage(page.subList(0, Math.min(limit, page.size())), null);
    }

    @Override
    public ClientPage search(DistributorId distributorId, List<String> prefixes, int limit, String after) {
        return new ClientPage(clients.values().stream().filter(c -> c.distributorId().equals(distributorId))
                .filter(c -> ClientWords.matches(c.name(), prefixes)).limit(limit).toList(), null);
    }

    @Override
    public KeyRepository.WriteStats importClients(List<DirectoryClient> imported) {
        imported.forEach(client -> clients.put(key(client.distributorId(), client.rfc()), client));
        return new KeyRepository.WriteStats(imported.size(), 0, 0, 0);
    }

    @Override
    public synchronized void update(DirectoryClient before, DirectoryClient after) {
        DirectoryClient stored = clients.get(key(before.distributorId(), before.rfc()));
        if (stored == null || stored.version() != before.version()) throw new ClientChangedConcurrently(before.rfc());
        clients.put(key(after.distributorId(), after.rfc()), after);
    }
}
