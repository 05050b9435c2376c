package mx.prepaidkeys.activation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import mx.prepaidkeys.domain.Distributor;
import mx.prepaidkeys.domain.DistributorId;
import mx.prepaidkeys.domain.DistributorUser;
import mx.prepaidkeys.domain.DomainError;
import mx.prepaidkeys.domain.DomainException;
import mx.prepaidkeys.domain.InMemoryDistributors;
import mx.prepaidkeys.domain.InMemoryKeyRepository;
import mx.prepaidkeys.domain.KeyEvent;
import mx.prepaidkeys.domain.KeyHasher;
import mx.prepaidkeys.domain.KeyStatus;
import mx.prepaidkeys.domain.License;
import mx.prepaidkeys.domain.PrepaidKey;
import mx.prepaidkeys.domain.PrepaidKeyCode;
import mx.prepaidkeys.domain.Product;
import mx.prepaidkeys.domain.UserId;
import org.junit.jupiter.api.Test;

/**
 * Capture and confirm as use cases, on in-memory ports: the decisions the emulator tests show from
 * the outside (a repeat, a lost race, an outdated licence, the email held for an unverified
 * address), here in milliseconds and with every branch reached on purpose.
 */
class ActivationServiceTest {
    private static final Product PRODUCT = new Product("SAE-12M", "Aspel SAE 9.0", "Sistema Administrativo Empresarial", 12,
            new License("2026.1", "Licencia de uso", "https://vendor.example/licencias/sae/2026.1", "El texto de la licencia."));
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-25T19:00:00Z"), ZoneOffset.UTC);
    private final InMemoryKeyRepository keys = new InMemoryKeyRepository();
    private final KeyHasher hasher = new KeyHasher("a pepper of at least thirty-two bytes, for tests".getBytes());
    private final InMemoryFailedAttempts attempts = new InMemoryFailedAttempts();
    private final InMemoryDistributors distributors = new InMemoryDistributors();
    private final ActivationService activation = new ActivationService(keys, hasher, new AttemptGuard(attempts, clock), distributors, clock);
    private final KeyAssignment assignment = new KeyAssignment(keys, distributors, keys.clients, clock);
    private final DistributorUser ana = user("ana", "dist-norte", true);
    private final DistributorUser carlos = user("carlos", "dist-norte", true);
    private final DistributorUser beatriz = user("beatriz", "dist-sur", true);

    ActivationServiceTest() {
        keys.saveProduct(PRODUCT);
    }

    @Test
    void a_confirm_activates_the_key_for_the_callers_distributor_and_owes_one_email() {
        String key = issued();
        var confirmed = activation.confirm(ana, confirm(key, "2026.1"));
        assertFalse(confirmed.repeat());
        assertEquals(KeyStatus.AVAILABLE, confirmed.key().storedStatus());
        assertEquals(new DistributorId("dist-norte"), confirmed.key().distributorId());
        assertEquals("PENDING", keys.emails.get(confirmed.key().keyId()));
        assertEquals(KeyEvent.Type.ACTIVATED, keys.events.getFirst().type());
    }

    @Test
    void the_same_confirm_again_answers_alike_and_owes_nothing_more() {
        String key = issued();
        var first = activation.confirm(ana, confirm(key, "2026.1"));
        int writes = keys.writes;
        var again = activation.confirm(carlos, confirm(key, "2026.1"));
        assertTrue(again.repeat(), "a colleague's repeat is a repeat");
        assertEquals(first.key(), again.key());
        assertEquals(writes, keys.writes, "nothing written");
    }

    @Test
    void losing_a_race_to_a_colleague_is_a_repeat_and_to_another_distributor_is_not_redeemable() {
        String raced = issued();
        keys.beforeNextWrite(() -> activation.confirm(carlos, confirm(raced, "2026.1")));
        var mine = activation.confirm(ana, confirm(raced, "2026.1"));
        assertTrue(mine.repeat(), "the colleague won: one activation, one email");
        assertEquals(1, keys.emails.size());

        String stolen = issued();
        keys.beforeNextWrite(() -> activation.confirm(beatriz, confirm(stolen, "2026.1")));
        var refused = assertThrows(DomainException.class, () -> activation.confirm(ana, confirm(stolen, "2026.1")));
        assertInstanceOf(DomainError.KeyNotRedeemable.class, refused.error());
        assertEquals(1, attempts.failures(ana.sub()), "and it counts as a failed attempt, as an unknown key does");
    }

    @Test
    void an_outdated_licence_version_is_refused_with_the_current_one_and_changes_nothing() {
        String key = issued();
        var refused = assertThrows(DomainException.class, () -> activation.confirm(ana, confirm(key, "2025.1")));
        assertEquals(new DomainError.LicenseVersionOutdated("2026.1"), refused.error());
        assertEquals(0, keys.writes);
        assertEquals(0, attempts.failures(ana.sub()), "not a guess: the key exists");
    }

    @Test
    void a_licence_not_accepted_or_a_typo_is_refused_before_any_look_up() {
        String key = issued();
        var notAccepted = assertThrows(DomainException.class,
                () -> activation.confirm(ana, new ActivationService.ConfirmCommand(key, false, "2026.1", "127.0.0.1", "test")));
        assertInstanceOf(DomainError.LicenseNotAccepted.class, notAccepted.error());
        String typo = key.substring(0, key.length() - 1) + (key.endsWith("0") ? "1" : "0");
        var mistyped = assertThrows(DomainException.class, () -> activation.capture(ana, typo));
        assertInstanceOf(DomainError.KeyFormatInvalid.class, mistyped.error());
        assertEquals(0, attempts.taken(ana.sub()), "a typo takes no attempt slot");
    }

    @Test
    void unknown_void_and_foreign_keys_get_one_answer_and_each_costs_a_slot() {
        String voided = issued();
        PrepaidKey stored = keys.findAnyKey(hasher.candidates(PrepaidKeyCode.parse(voided)).stream().map(KeyHasher.KeyHash::keyId).toList())
                .orElseThrow();
        keys.put(stored.voidWith(new mx.prepaidkeys.domain.Voiding("lost", clock.instant(), new UserId("admin"), "admin")));
        String foreign = issued();
        activation.confirm(beatriz, confirm(foreign, "2026.1"));
        String unknown = PrepaidKeyCode.generate(new SecureRandom()).formatted();
        // the answers differ only in the attempts the caller has left, which count the caller, never the key
        String[] refusedKeys = {voided, foreign, unknown};
        for (int i = 0; i < refusedKeys.length; i++) {
            String key = refusedKeys[i];
            var refused = assertThrows(DomainException.class, () -> activation.capture(ana, key));
            assertEquals(new DomainError.KeyNotRedeemable(9 - i), refused.error(), key);
        }
        assertEquals(3, attempts.failures(ana.sub()));
    }

    @Test
    void a_user_whose_address_is_not_verified_gets_the_key_and_the_email_waits() {
        String key = issued();
        var confirmed = activation.confirm(user("dora", "dist-norte", false), confirm(key, "2026.1"));
        assertEquals(KeyStatus.AVAILABLE, confirmed.key().storedStatus());
        assertEquals("HELD", keys.emails.get(confirmed.key().keyId()));
        assertEquals(java.util.List.of(KeyEvent.Type.ACTIVATED, KeyEvent.Type.EMAIL_HELD), keys.events.stream().map(KeyEvent::type).toList());
    }

    @Test
    void a_suspended_distributors_users_cannot_capture_confirm_or_assign_and_take_no_slot_until_it_is_active_again() {
        String held = issued();
        var kept = activation.confirm(ana, confirm(held, "2026.1")).key();
        String key = issued();
        int events = keys.events.size();
        suspend("dist-norte", Distributor.Status.SUSPENDED);
        distributors.reads = 0;
        for (var refused : java.util.List.<Runnable>of(
                () -> activation.capture(carlos, key),
                () -> activation.confirm(carlos, confirm(key, "2026.1")),
                () -> assignment.assign(ana, kept.keyId(), "GODE561231GR8", "Eduardo Gómez Díaz", false, "127.0.0.1"))) {
            var thrown = assertThrows(DomainException.class, refused::run);
            assertInstanceOf(DomainError.AccountSuspended.class, thrown.error());
        }
        assertEquals(3, distributors.reads, "one read of the account per request");
        assertEquals(events, keys.events.size(), "nothing recorded");
        assertEquals(0, attempts.taken(carlos.sub()), "no attempt slot taken");
        assertEquals(KeyStatus.AVAILABLE, keys.findKey(kept.keyId()).orElseThrow().storedStatus());
        // another distributor works meanwhile
        activation.capture(beatriz, issued());

        suspend("dist-norte", Distributor.Status.ACTIVE);
        activation.capture(carlos, key);
        assertEquals(KeyStatus.AVAILABLE, activation.confirm(carlos, confirm(key, "2026.1")).key().storedStatus());
        assertEquals(KeyStatus.USED, assignment.assign(ana, kept.keyId(), "GODE561231GR8", "Eduardo Gómez Díaz", false, "127.0.0.1")
                .storedStatus());
    }

    private void suspend(String distributorId, Distributor.Status status) {
        distributors.save(new Distributor(new DistributorId(distributorId), "Distribuidora Norte", "DNO010101AB0", "norte@example.com",
                status, clock.instant(), new UserId("admin"), "admin"));
    }

    /** A new ISSUED key of the product, as a distributor would type it. */
    private String issued() {
        PrepaidKeyCode code = PrepaidKeyCode.generate(new SecureRandom());
        keys.put(PrepaidKey.issued(hasher.hash(code).keyId(), code.masked(), PRODUCT, null, null));
        return code.formatted();
    }

    private static ActivationService.ConfirmCommand confirm(String key, String licenseVersion) {
        return new ActivationService.ConfirmCommand(key, true, licenseVersion, "127.0.0.1", "test");
    }

    private static DistributorUser user(String sub, String distributorId, boolean emailVerified) {
        return new DistributorUser(new UserId(sub), sub, sub + "@example.com", emailVerified, "Usuario " + sub, new DistributorId(distributorId), "es-MX");
    }
}
