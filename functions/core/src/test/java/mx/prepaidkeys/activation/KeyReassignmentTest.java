package mx.prepaidkeys.activation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import mx.prepaidkeys.domain.Activation;
import mx.prepaidkeys.domain.DistributorId;
import mx.prepaidkeys.domain.DistributorUser;
import mx.prepaidkeys.domain.DomainError;
import mx.prepaidkeys.domain.DomainException;
import mx.prepaidkeys.domain.InMemoryDistributors;
import mx.prepaidkeys.domain.InMemoryKeyRepository;
import mx.prepaidkeys.domain.KeyEvent;
import mx.prepaidkeys.domain.KeyId;
import mx.prepaidkeys.domain.KeyStatus;
import mx.prepaidkeys.domain.PrepaidKey;
import mx.prepaidkeys.domain.TestKeyIds;
import mx.prepaidkeys.domain.UserId;
import org.junit.jupiter.api.Test;

/** Correcting an assignment: within 72 hours of it, by its distributor, and the directory's counts follow. */
class KeyReassignmentTest {
    private static final Instant START = Instant.parse("2026-11-25T18:00:00Z");
    private static final DistributorId NORTE = new DistributorId("norte");
    private static final DistributorId SUR = new DistributorId("sur");
    private static final String ANA = "GODE561231GR8";
    private static final String SAT = "SAT970701NN3";

    private final AttemptGuardTest.MutableClock clock = new AttemptGuardTest.MutableClock(START);
    private final InMemoryKeyRepository keys = new InMemoryKeyRepository();
    private final KeyAssignment assignment = new KeyAssignment(keys, new InMemoryDistributors(), keys.clients, clock);
    private final KeyReassignment reassignment = new KeyReassignment(keys, new InMemoryDistributors(), keys.clients, clock);
    private final KeyId keyId = TestKeyIds.keyId(1);

    KeyReassignmentTest() {
        keys.put(new PrepaidKey(keyId, "*****-*****-*****-*****-7K3QZ", "SAE-12", "Aspel SAE", "b1", KeyStatus.AVAILABLE, null,
                new Activation(NORTE, START, new UserId("sub-1"), "ana", "Ana", "2026.1", "10.0.0.1", "test"), null, null));
    }

    private static DistributorUser user(DistributorId distributorId) {
        return new DistributorUser(new UserId("sub-" + distributorId.value()), "user-" + distributorId.value(), "u@x.mx", true, "U",
                distributorId, "es-MX");
    }

    @Test
    void within_72_hours_the_key_moves_to_the_right_client_and_the_counts_follow() {
        assignment.assign(user(NORTE), keyId, SAT, "Servicio de Administración", false, null);
        clock.advance(Duration.ofHours(71).plusMinutes(59));
        PrepaidKey corrected = reassignment.reassign(user(NORTE), keyId, ANA, "Ana Gómez", false, "RFC equivocado", null);
        assertEquals(ANA, corrected.assignment().client().rfc());
        assertEquals(START, corrected.assignment().assignedAt(), "the window keeps running from the first assignment");
        assertEquals(0, keys.clients.find(NORTE, SAT).orElseThrow().keyCount());
        assertEquals(1, keys.clients.find(NORTE, ANA).orElseThrow().keyCount());
        KeyEvent entry = keys.events.getLast();
        assertEquals(KeyEvent.Type.REASSIGNED, entry.type());
        assertEquals(SAT, entry.details().get("fromClientRfc"));
        assertEquals(ANA, entry.details().get("clientRfc"));
        assertEquals("RFC equivocado", entry.details().get("reason"));
    }

    @Test
    void at_72_hours_the_assignment_is_final() {
        assignment.assign(user(NORTE), keyId, SAT, "Servicio de Administración", false, null);
        clock.advance(Duration.ofHours(71));
        reassignment.reassign(user(NORTE), keyId, ANA, "Ana Gómez", false, "RFC equivocado", null);
        clock.advance(Duration.ofHours(1));
        DomainException refused = assertThrows(DomainException.class,
                () -> reassignment.reassign(user(NORTE), keyId, SAT, "Servicio", false, "otra vez", null));
        assertEquals(new DomainError.AssignmentFinal(START), refused.error());
        assertEquals(ANA, keys.findKey(keyId).orElseThrow().assignment().client().rfc());
    }

    @Test
    void another_distributor_finds_no_such_key_and_an_unassigned_key_has_nothing_to_correct() {
        DomainException notAssigned = assertThrows(DomainException.class,
                () -> reassignment.reassign(user(NORTE), keyId, ANA, "Ana Gómez", false, "x", null));
        assertEquals(new DomainError.KeyNotAssigned(KeyStatus.AVAILABLE), notAssigned.error());
        assignment.assign(user(NORTE), keyId, SAT, "Servicio de Administración", false, null);
        DomainException foreign = assertThrows(DomainException.class,
                () -> reassignment.reassign(user(SUR), keyId, ANA, "Ana Gómez", false, "x", null));
        assertInstanceOf(DomainError.NotFound.class, foreign.error());
    }

    @Test
    void a_client_that_entered_the_directory_meanwhile_is_counted_on_the_next_attempt() {
        KeyId second = TestKeyIds.keyId(2);
        keys.put(new PrepaidKey(second, "*****-*****-*****-*****-7K3QA", "SAE-12", "Aspel SAE", "b1", KeyStatus.AVAILABLE, null,
                new Activation(NORTE, START, new UserId("sub-1"), "ana", "Ana", "2026.1", "10.0.0.1", "test"), null, null));
        // Both requests read "no such client"; the other one's transaction lands first.
        keys.beforeNextWrite(() -> assignment.assign(user(NORTE), second, ANA, "Ana Gómez", false, null));
        assignment.assign(user(NORTE), keyId, ANA, "Ana Gómez", false, null);
        assertEquals(2, keys.clients.find(NORTE, ANA).orElseThrow().keyCount());
        assertEquals(KeyStatus.USED, keys.findKey(keyId).orElseThrow().storedStatus());
    }
}
