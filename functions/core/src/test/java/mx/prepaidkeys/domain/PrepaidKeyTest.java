package mx.prepaidkeys.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The lifecycle of product.md, as the domain decides it. */
class PrepaidKeyTest {
    private static final Instant NOW = Instant.parse("2026-11-25T18:00:00Z");
    private static final Product PRODUCT = new Product("SAE-12", "Aspel SAE", "ERP", 12, new License("2026.1", "Licencia", "https://x/l", "Texto"));

    private static final KeyId KEY_ID = TestKeyIds.keyId(1);
    private static final DistributorId NORTE = new DistributorId("norte");
    private static final DistributorId SUR = new DistributorId("sur");
    private static final UserId SUB = new UserId("sub");

    private final PrepaidKey issued = PrepaidKey.issued(KEY_ID, "*****-*****-*****-*****-7K3QZ", PRODUCT, "b1", NOW.plus(Duration.ofDays(30)));

    @Test
    void an_issued_key_can_be_captured_and_activated_by_any_distributor() {
        issued.ensureCapturableBy(NORTE, NOW);
        assertEquals(PrepaidKey.Confirmation.ACTIVATE, issued.confirmationBy(NORTE, NOW));
        PrepaidKey available = issued.activate(activation(NORTE), NOW);
        assertEquals(KeyStatus.AVAILABLE, available.status(NOW));
        assertEquals(NORTE, available.distributorId());
    }

    @Test
    void the_same_distributor_confirming_again_is_a_repeat_while_the_key_waits_for_a_client() {
        PrepaidKey available = issued.activate(activation(NORTE), NOW);
        assertEquals(PrepaidKey.Confirmation.REPEAT, available.confirmationBy(NORTE, NOW.plusSeconds(5)));
        assertError(DomainError.KeyAlreadyActivated.class, () -> available.ensureCapturableBy(NORTE, NOW));
    }

    @Test
    void another_distributor_learns_only_that_the_key_is_not_redeemable() {
        PrepaidKey available = issued.activate(activation(NORTE), NOW);
        assertError(DomainError.KeyNotRedeemable.class, () -> available.ensureCapturableBy(SUR, NOW));
        assertError(DomainError.KeyNotRedeemable.class, () -> available.confirmationBy(SUR, NOW));
    }

    @Test
    void a_used_key_is_already_activated_for_its_distributor_and_not_redeemable_for_others() {
        PrepaidKey used = new PrepaidKey(KEY_ID, "m", "SAE-12", "Aspel SAE", "b1", KeyStatus.USED, null, activation(NORTE), null, null);
        assertError(DomainError.KeyAlreadyActivated.class, () -> used.confirmationBy(NORTE, NOW));
        assertError(DomainError.KeyNotRedeemable.class, () -> used.confirmationBy(SUR, NOW));
    }

    @Test
    void void_and_expired_keys_are_not_redeemable_for_anyone() {
        PrepaidKey voided = new PrepaidKey(KEY_ID, "m", "SAE-12", "Aspel SAE", "b1", KeyStatus.VOID, null, null, null, null);
        assertError(DomainError.KeyNotRedeemable.class, () -> voided.confirmationBy(NORTE, NOW));
        Instant later = issued.expiresAt();
        assertEquals(KeyStatus.EXPIRED, issued.status(later));
        assertError(DomainError.KeyNotRedeemable.class, () -> issued.ensureCapturableBy(NORTE, later));
        assertError(DomainError.KeyNotRedeemable.class, () -> issued.confirmationBy(NORTE, later));
    }

    @Test
    void an_available_key_past_its_expiry_reads_expired_even_for_its_distributor() {
        PrepaidKey available = issued.activate(activation(NORTE), NOW);
        assertEquals(KeyStatus.EXPIRED, available.status(issued.expiresAt().plusMillis(1)));
        assertError(DomainError.KeyNotRedeemable.class, () -> available.confirmationBy(NORTE, issued.expiresAt()));
    }

    @Test
    void used_and_void_keys_do_not_expire() {
        PrepaidKey used = new PrepaidKey(KEY_ID, "m", "SAE-12", "n", "b1", KeyStatus.USED, NOW, activation(NORTE), null, null);
        assertEquals(KeyStatus.USED, used.status(NOW.plusSeconds(1)));
    }

    @Test
    void only_an_issued_key_can_be_activated() {
        PrepaidKey available = issued.activate(activation(NORTE), NOW);
        assertThrows(IllegalStateException.class, () -> available.activate(activation(SUR), NOW));
        assertThrows(IllegalArgumentException.class,
                () -> new PrepaidKey(KEY_ID, "m", "s", "n", null, KeyStatus.EXPIRED, null, null, null, null));
    }

    @Test
    void its_distributor_assigns_an_available_key_to_a_client_once() {
        PrepaidKey available = issued.activate(activation(NORTE), NOW);
        Assignment assignment = new Assignment(new Client("XAXX010101000", "Público en general"), NOW, SUB, "ana@norte.mx", false);
        PrepaidKey used = available.assign(NORTE, assignment, NOW);
        assertEquals(KeyStatus.USED, used.status(NOW));
        assertEquals("XAXX010101000", used.assignment().client().rfc());
        assertError(DomainError.KeyAlreadyUsed.class, () -> used.assign(NORTE, assignment, NOW));
        assertError(DomainError.NotFound.class, () -> available.assign(SUR, assignment, NOW));
        assertError(DomainError.NotFound.class, () -> issued.assign(NORTE, assignment, NOW));
        assertError(DomainError.KeyNotAssignable.class, () -> available.assign(NORTE, assignment, issued.expiresAt()));
    }

    @Test
    void the_back_office_voids_issued_and_available_keys_but_not_used_ones() {
        Voiding voiding = new Voiding("lote duplicado", NOW, new UserId("admin"), "mesa@vendor.mx");
        assertEquals(KeyStatus.VOID, issued.voidWith(voiding).storedStatus());
        PrepaidKey available = issued.activate(activation(NORTE), NOW);
        PrepaidKey voided = available.voidWith(voiding);
        assertEquals(KeyStatus.VOID, voided.status(NOW));
        assertEquals(voided, voided.voidWith(voiding), "voiding a void key changes nothing");
        PrepaidKey used = available.assign(NORTE, new Assignment(new Client("XAXX010101000", "x"), NOW, SUB, "e", false), NOW);
        assertError(DomainError.KeyAlreadyUsed.class, () -> used.voidWith(voiding));
        assertError(DomainError.KeyNotRedeemable.class, () -> voided.confirmationBy(NORTE, NOW));
        assertError(DomainError.KeyNotAssignable.class, () -> voided.assign(NORTE,
                new Assignment(new Client("XAXX010101000", "x"), NOW, SUB, "e", false), NOW));
    }

    @Test
    void a_product_term_counts_from_the_activation_in_mexico_city() {
        // 02:00 UTC on 1 December is still 30 November in Mexico City
        assertEquals(java.time.LocalDate.of(2027, 11, 30), PRODUCT.validUntil(Instant.parse("2026-12-01T02:00:00Z")));
    }

    private static Activation activation(DistributorId distributorId) {
        return new Activation(distributorId, NOW, SUB, "ana@norte.mx", "Ana", "2026.1", "10.0.0.1", "test");
    }

    private static void assertError(Class<? extends DomainError> expected, Executable action) {
        assertInstanceOf(expected, assertThrows(DomainException.class, action).error());
    }
}
