package mx.prepaidkeys.bench;

import io.micronaut.context.ApplicationContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import mx.prepaidkeys.domain.ClientDirectory;
import mx.prepaidkeys.domain.ClientWords;
import mx.prepaidkeys.domain.DirectoryClient;
import mx.prepaidkeys.domain.DistributorId;
import mx.prepaidkeys.local.Emulators;
import mx.prepaidkeys.log.JsonLog;
import mx.prepaidkeys.store.ReadMeter;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * `make bench-clients`: "Clientes" of a distributor with 10,000 clients (names drawn from common
 * Mexican first names and surnames, so a surname is shared by hundreds), written through the
 * directory, on DynamoDB (dynoxide). Prints the median time and the read capacity
 * (ReturnConsumedCapacity) of a page of 50: the directory by RFC, and searches by a word, a prefix,
 * two words and a word nobody has. A search page is one Query of the word index and one BatchGetItem,
 * whatever the number of clients: never a Scan.
 */
public final class ClientSearchBenchmark {
    private static final int CLIENTS = 10_000;
    private static final int RUNS = 21;
    private static final int PAGE = 50;
    private static final List<String> FIRST = List.of("Ana", "María", "José", "Juan", "Luis", "Carmen", "Jorge", "Sofía", "Miguel",
            "Lucía", "Fernando", "Guadalupe", "Ricardo", "Elena", "Alejandro", "Patricia", "Roberto", "Verónica", "Héctor", "Mónica");
    private static final List<String> LAST = List.of("Gómez", "Hernández", "García", "Martínez", "López", "González", "Pérez",
            "Rodríguez", "Sánchez", "Ramírez", "Cruz", "Flores", "Gutiérrez", "Núñez", "Jiménez", "Díaz", "Torres", "Vázquez",
            "Ruiz", "Morales", "Ortiz", "Castillo", "Mendoza", "Aguilar", "Muñoz");

    private ClientSearchBenchmark() {}

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : CLIENTS;
        Path root = Emulators.repositoryRoot();
        Path state = Files.createTempDirectory("bench-clients");
        System.setProperty("aws.accessKeyId", "local");
        System.setProperty("aws.secretAccessKey", "local");
        JsonLog.redirect(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        int[] ports = Emulators.freePorts(2);
        try (Emulators emulators = Emulators.start(root, state, null, ports[0], ports[1])) {
            String table = "bench-" + UUID.randomUUID().toString().substring(0, 8);
            try (DynamoDbClient dynamo = BenchTable.client(emulators)) {
                BenchTable.create(dynamo, table);
            }
            try (ApplicationContext context = ApplicationContext.builder().properties(BenchTable.settings(emulators, table)).start()) {
                ClientDirectory directory = context.getBean(ClientDirectory.class);
                DistributorId distributor = new DistributorId("dist-large");
                long started = System.nanoTime();
                var stats = directory.importClients(clients(distributor, count));
                System.out.printf("seeded %,d clients (%,d items with their words) through the directory in %.1f s (%,d batched writes)%n",
                        count, stats.items(), (System.nanoTime() - started) / 1e9, stats.requests());
                measure("directory by RFC, first page", () -> directory.list(distributor, PAGE, null));
                for (String q : List.of("gomez", "GÓM", "ana", "nunez", "ana gomez", "zz")) {
                    List<String> prefixes = ClientWords.prefixes(q);
                    measure("q=" + q, () -> directory.search(distributor, prefixes, PAGE, null));
                }
            }
        }
    }

    /** Median time and read capacity of one page over {@link #RUNS} runs (the first, warming up, left out). */
    private static void measure(String what, java.util.function.Supplier<ClientDirectory.ClientPage> page) {
        page.get();
        ReadMeter.take();
        long[] millis = new long[RUNS];
        ReadMeter.Reading reading = null;
        int found = 0;
        for (int i = 0; i < RUNS; i++) {
            long started = System.nanoTime();
            found = page.get().clients().size();
            millis[i] = (System.nanoTime() - started) / 1_000;
            reading = ReadMeter.take();
        }
        Arrays.sort(millis);
        System.out.printf("%-32s %3d clients  median %6.1f ms  %5.1f RCU  %d requests  %3d items read%n", what, found,
                millis[RUNS / 2] / 1000.0, reading.units(), reading.queries(), reading.items());
    }

    /** Two surnames and one or two first names each; RFCs of persons, distinct. */
    private static List<DirectoryClient> clients(DistributorId distributor, int count) {
        List<DirectoryClient> clients = new ArrayList<>(count);
        Instant at = Instant.parse("2026-01-05T16:00:00Z");
        for (int i = 0; i < count; i++) {
            String name = FIRST.get(i % FIRST.size()) + (i % 3 == 0 ? " " + FIRST.get((i / 7) % FIRST.size()) : "") + " "
                    + LAST.get((i / FIRST.size()) % LAST.size()) + " " + LAST.get((i / 13) % LAST.size());
            String rfc = String.format("XEX%c%06d%03d", (char) ('A' + i % 26), 100101 + i / 26 % 800000, i % 1000);
            clients.add(new DirectoryClient(distributor, rfc, name, null, null, at, at, 1 + i % 4, 1));
        }
        return clients;
    }
}
