package mx.prepaidkeys.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The keys the simulated people work with, shared by every virtual user: each distributor's keys
 * still to confirm (the plain keys of the admin's mint answers), those waiting for a client, those
 * it holds (to open a key's history), and the back office's own batches. A key leaves a pool
 * before a step uses it, so two users never race for one key unless a scenario says so.
 */
final class KeyPools {
    /** A key sold to a distributor, plain, with its product and the licence version to accept. */
    record Fresh(String key, String sku, String licenseVersion) {}

    /** A user of the run: who signs in, for which distributor, with which ID token. */
    record User(String username, String distributorId, String email, String token) {}

    private final List<User> users = new ArrayList<>();
    private final List<String> distributors = new ArrayList<>();
    private final Map<String, ConcurrentLinkedQueue<Fresh>> fresh = new ConcurrentHashMap<>();
    private final Map<String, ConcurrentLinkedDeque<String>> available = new ConcurrentHashMap<>();
    private final Map<String, List<String>> held = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> adminIssued = new ConcurrentLinkedQueue<>();
    private final List<String> batches = new CopyOnWriteArrayList<>();
    private volatile User admin;

    void addUser(User user) {
        users.add(user);
        if (!distributors.contains(user.distributorId())) {
            distributors.add(user.distributorId());
            fresh.put(user.distributorId(), new ConcurrentLinkedQueue<>());
            available.put(user.distributorId(), new ConcurrentLinkedDeque<>());
            held.put(user.distributorId(), new CopyOnWriteArrayList<>());
        }
    }

    void admin(User admin) {
        this.admin = admin;
    }

    User admin() {
        return admin;
    }

    List<User> users() {
        return users;
    }

    List<String> distributors() {
        return distributors;
    }

    User anyUser() {
        return users.get(ThreadLocalRandom.current().nextInt(users.size()));
    }

    /** Deals keys to the distributors in turn, as the vendor's sales would. */
    void sell(List<Fresh> keys) {
        for (int i = 0; i < keys.size(); i++) fresh.get(distributors.get(i % distributors.size())).add(keys.get(i));
    }

    Fresh takeFresh(String distributorId) {
        return fresh.get(distributorId).poll();
    }

    int freshLeft() {
        return fresh.values().stream().mapToInt(ConcurrentLinkedQueue::size).sum();
    }

    void confirmed(String distributorId, String keyId) {
        available.get(distributorId).addLast(keyId);
        held.get(distributorId).add(keyId);
    }

    /** The oldest key still waiting for a client: people assign in the order they sold. */
    String takeAvailable(String distributorId) {
        return available.get(distributorId).pollFirst();
    }

    /** A key waiting for a client at some distributor, taken out of that distributor's pool (the back office voids it). */
    String takeAnyAvailable() {
        int start = ThreadLocalRandom.current().nextInt(distributors.size());
        for (int i = 0; i < distributors.size(); i++) {
            String keyId = available.get(distributors.get((start + i) % distributors.size())).pollLast();
            if (keyId != null) return keyId;
        }
        return null;
    }

    String anyHeld(String distributorId) {
        List<String> keys = held.get(distributorId);
        return keys.isEmpty() ? null : keys.get(ThreadLocalRandom.current().nextInt(keys.size()));
    }

    void adminMinted(String batchId, List<String> keyIdsToVoid) {
        batches.add(batchId);
        adminIssued.addAll(keyIdsToVoid);
    }

    String anyBatch() {
        return batches.isEmpty() ? null : batches.get(ThreadLocalRandom.current().nextInt(batches.size()));
    }

    String takeIssuedToVoid() {
        return adminIssued.poll();
    }
}
