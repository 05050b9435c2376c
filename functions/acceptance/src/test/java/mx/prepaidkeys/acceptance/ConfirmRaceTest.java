package mx.prepaidkeys.acceptance;

import mx.prepaidkeys.config.HandlerContext;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import mx.prepaidkeys.api.confirm.ConfirmHandler;
import mx.prepaidkeys.domain.KeyStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * 20 concurrent confirms of one key by users of two distributors, each through its own handler (its
 * own "Lambda container"): exactly one activation and one email; the winner's colleagues get the
 * same 200, the other distributor gets 422 like for any key it cannot redeem.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConfirmRaceTest {
    private static final int THREADS = 20;
    private static final int ROUNDS = 25;
    private final InProcessFixture fixture = new InProcessFixture();
    private final List<ConfirmHandler> containers = new ArrayList<>();
    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    ConfirmRaceTest() {
        for (int i = 0; i < THREADS; i++) containers.add(HandlerContext.inProcess(fixture.stack.properties(fixture.table), ConfirmHandler::new));
    }

    @AfterAll
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void twenty_racing_confirms_of_one_key_activate_it_once_and_send_one_email() throws Exception {
        int norteWins = 0;
        int ok = 0;
        int notRedeemable = 0;
        for (int round = 0; round < ROUNDS; round++) {
            String key = fixture.mint();
            String body = "{\"key\":\"" + key + "\",\"acceptLicense\":true,\"licenseVersion\":\"2026.1\"}";
            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<Future<InProcessFixture.Response>> answers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                // Each round's distributors are new: the losers' refused confirms count as failed
                // attempts, and 25 rounds of them would lock a distributor out (that has its own test).
                String distributor = (t % 2 == 0 ? "dist-norte-" : "dist-sur-") + round;
                String email = "user" + t + "-r" + round + "@" + distributor + ".example";
                ConfirmHandler container = containers.get(t);
                answers.add(pool.submit(() -> {
                    var event = Events.as(Events.withBody(Events.load("confirm-ok.json"), body), distributor, email, null);
                    start.await();
                    return fixture.invokeInProcess(container, event);
                }));
            }
            List<InProcessFixture.Response> responses = new ArrayList<>();
            for (var answer : answers) responses.add(answer.get());

            String keyId = null;
            Set<JsonNode> winnerBodies = new HashSet<>();
            Set<JsonNode> loserBodies = new HashSet<>();
            for (var response : responses) {
                if (response.status() == 200) {
                    winnerBodies.add(response.body());
                    keyId = response.body().path("keyId").asText();
                    ok++;
                } else {
                    assertEquals(422, response.status(), response.raw());
                    assertEquals("KEY_NOT_REDEEMABLE", response.code());
                    loserBodies.add(response.withoutRequestId());
                    notRedeemable++;
                }
            }
            var stored = fixture.key(keyId);
            String winner = stored.activation().distributorId().value();
            if (winner.startsWith("dist-norte")) norteWins++;
            assertEquals(KeyStatus.AVAILABLE, stored.storedStatus());
            assertEquals(1, winnerBodies.size(), "every colleague of the winner sees the same answer");
            assertEquals(1, loserBodies.size(), "the other distributor always gets the same answer");
            assertEquals(10, responses.stream().filter(r -> r.status() == 200).count(), "all 10 of the winner's users get 200");

            long activations = fixture.changes.records().stream()
                    .filter(r -> r.dynamodb().keys().get("PK").s().equals("KEY#" + stored.keyId().value()))
                    .filter(r -> r.dynamodb().keys().get("SK").s().startsWith("EVENT#") && r.dynamodb().keys().get("SK").s().endsWith("#ACTIVATED"))
                    .count();
            assertEquals(1, activations, "one activation in the table's history");
            fixture.deliverEmails();
            String roundMark = "-r" + round + "@";
            long emails = fixture.stack.emails().stream().filter(e -> e.path("destination").toString().contains(roundMark)).count();
            assertEquals(1, emails, "one email for the activation");
        }
        System.out.printf("race: %d rounds x %d threads; 200=%d 422=%d; dist-norte won %d, dist-sur won %d; 1 activation and 1 email per round%n",
                ROUNDS, THREADS, ok, notRedeemable, norteWins, ROUNDS - norteWins);
        assertTrue(ok == ROUNDS * 10 && notRedeemable == ROUNDS * 10);
    }
}
