package mx.prepaidkeys.domain;

import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** Distributor accounts in a map, in id order, as the table lists them. */
public class InMemoryDistributors implements Distributors {
    private final TreeMap<String, Distributor> accounts = new TreeMap<>();
    /** Reads made, so a test can hold a check to one. */
    public int reads;

    @Override
    public Optional<Distributor> find(DistributorId id) {
        reads++;
        return Optional.ofNullable(accounts.get(id.value()));
    }

    @Override
    public boolean save(Distributor distributor) {
        return accounts.put(distributor.id().value(), distributor) == null;
    }

    @Override
    public Page page(int limit, String after) {
        var rest = after == null ? accounts : accounts.tailMap(after, false);
        List<Distributor> page = rest.values().stream().limit(limit).toList();
        String next = rest.size() > limit ? page.getLast().id().value() : null;
        return new Page(page, next);
    }
}
