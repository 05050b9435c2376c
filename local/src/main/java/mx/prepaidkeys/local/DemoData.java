package mx.prepaidkeys.local;

import io.micronaut.context.ApplicationContext;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mx.prepaidkeys.activation.ActivationService;
import mx.prepaidkeys.activation.KeyAssignment;
import mx.prepaidkeys.backoffice.Batches;
import mx.prepaidkeys.backoffice.DistributorAccounts;
import mx.prepaidkeys.backoffice.KeyVoiding;
import mx.prepaidkeys.domain.BackOfficeUser;
import mx.prepaidkeys.domain.ClientRfc;
import mx.prepaidkeys.domain.Distributor;
import mx.prepaidkeys.domain.DistributorId;
import mx.prepaidkeys.domain.DistributorUser;
import mx.prepaidkeys.domain.KeyBatch;
import mx.prepaidkeys.domain.KeyHasher;
import mx.prepaidkeys.domain.KeyRepository;
import mx.prepaidkeys.domain.License;
import mx.prepaidkeys.domain.PrepaidKey;
import mx.prepaidkeys.domain.PrepaidKeyCode;
import mx.prepaidkeys.domain.Product;
import mx.prepaidkeys.domain.UserId;

/**
 * What the local stack holds on its first start: two distributors and an admin, three products
 * with their licences, and batches of keys minted by the admin, some confirmed, assigned to clients
 * or voided, so that "Claves prepago" is not empty. Everything goes through the same domain code as
 * production.
 */
public final class DemoData {
    /** One password for every demo user: this is a demo, and the banner prints it. */
    public static final String PASSWORD = "Prepago-2026";
    /** The key in events/*.json, stored ISSUED so that the sample events work against the stack. */
    public static final String SAMPLE_KEY = "QMQ0B-FWQPJ-BY38V-P2NX3-M3SQG";

    public record DemoUser(String username, String password, String email, String name, String locale, List<String> groups,
                           String distributorId, String distributorName) {}

    public record DemoKey(String key, String productSku, String status) {}

    public record DemoDistributor(String id, String name, String rfc, String contactEmail) {}

    /** The accounts of the demo users' distributors (their RFCs are made up, with SAT's check digit). */
    public static final List<DemoDistributor> DISTRIBUTORS = List.of(
            new DemoDistributor("dist-norte", "Distribuidora Norte", "DNO010101AB0", "compras@distribuidora-norte.example"),
            new DemoDistributor("dist-sur", "Distribuidora Sur", "DSU010101AB6", "compras@distribuidora-sur.example"));

    public static final List<DemoUser> USERS = List.of(
            new DemoUser("ana.lopez", PASSWORD, "ana.lopez@distribuidora-norte.example", "Ana López", "es-MX",
                    List.of("distributors"), "dist-norte", "Distribuidora Norte"),
            new DemoUser("carlos.mendez", PASSWORD, "carlos.mendez@distribuidora-norte.example", "Carlos Méndez", "en",
                    List.of("distributors"), "dist-norte", "Distribuidora Norte"),
            new DemoUser("beatriz.soto", PASSWORD, "beatriz.soto@distribuidora-sur.example", "Beatriz Soto", "es-MX",
                    List.of("distributors"), "dist-sur", "Distribuidora Sur"),
            new DemoUser("admin", PASSWORD, "mesa.servicios@vendor.example", "Mesa de servicios", "es-MX",
                    List.of("admins"), null, null));

    public static final List<Product> PRODUCTS = List.of(
            new Product("SAE-12M", "Aspel SAE 9.0", "Sistema Administrativo Empresarial: ventas, compras e inventarios", 12,
                    new License("2026.1", "Licencia de uso de Aspel SAE 9.0", "https://vendor.example/licencias/sae/2026.1",
                            licenceText("Aspel SAE 9.0"))),
            new Product("COI-12M", "Aspel COI 10.0", "Contabilidad integral con CFDI", 12,
                    new License("2026.1", "Licencia de uso de Aspel COI 10.0", "https://vendor.example/licencias/coi/2026.1",
                            licenceText("Aspel COI 10.0"))),
            new Product("NOI-6M", "Aspel NOI 11.0", "Nómina integral, seis meses", 6,
                    new License("2025.3", "Licencia de uso de Aspel NOI 11.0", "https://vendor.example/licencias/noi/2025.3",
                            licenceText("Aspel NOI 11.0"))));

    private DemoData() {}

    /** The batch of the sample events (events/admin-batch-*.json name it). */
    public static final String SAMPLE_BATCH = "sae0000000000001";
    /** Activated by ana.lopez in the seed: events/history.json and events/assign-ok.json use it. */
    public static final String HELD_KEY = "JPFJ8-KCKRK-7PATV-N3ZE8-GK3XC";
    /** Left ISSUED in the sample batch: events/admin-key-void.json voids it. */
    public static final String SPARE_KEY = "K2Q0C-RTVER-EEXY3-NKX6Q-KXK1S";

    /** Seeds an empty table; returns the demo keys with their plain text (demo data only). */
    public static List<DemoKey> seed(ApplicationContext context, Map<String, String> subsByUsername) {
        KeyRepository repository = context.getBean(KeyRepository.class);
        Batches batches = context.getBean(Batches.class);
        KeyHasher hasher = context.getBean(KeyHasher.class);
        PRODUCTS.forEach(repository::saveProduct);
        DemoUser adminUser = user("admin");
        BackOfficeUser admin = new BackOfficeUser(new UserId(subsByUsername.get("admin")), adminUser.username());
        Seeder seeder = new Seeder(context, subsByUsername);
        // The demo distributors' accounts, active (the desk's header reads the name from GET /v1/account).
        DistributorAccounts accounts = context.getBean(DistributorAccounts.class);
        DISTRIBUTORS.forEach(d -> accounts.save(admin, new DistributorId(d.id()),
                new DistributorAccounts.Changes(d.name(), d.rfc(), d.contactEmail(), Distributor.Status.ACTIVE)));

        // The sample batch, with the known keys of events/.
        Product sae = PRODUCTS.get(0);
        List<String> sample = new ArrayList<>(List.of(SAMPLE_KEY, HELD_KEY, SPARE_KEY));
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < 3; i++) sample.add(PrepaidKeyCode.generate(random).formatted());
        List<PrepaidKey> sampleKeys = sample.stream().map(PrepaidKeyCode::parse)
                .map(code -> PrepaidKey.issued(hasher.hash(code).keyId(), code.masked(), sae, SAMPLE_BATCH, null)).toList();
        Instant now = Instant.now();
        repository.saveBatch(new KeyBatch(SAMPLE_BATCH, sae.sku(), sae.name(), sampleKeys.size(), null,
                "Lote de ejemplo: las claves de events/", now, admin.sub(), admin.username()), sampleKeys, now);
        for (String key : sample) seeder.keys.add(new DemoKey(key, sae.sku(), "ISSUED"));
        seeder.confirm("ana.lopez", HELD_KEY, sae);

        Product coi = PRODUCTS.get(1);
        Product noi = PRODUCTS.get(2);
        var saeBatch = batches.mint(admin, sae.sku(), 8, null, "Pedido de demostración SAE");
        var coiBatch = batches.mint(admin, coi.sku(), 6, null, "Pedido de demostración COI");
        var noiBatch = batches.mint(admin, noi.sku(), 4, now.plus(Duration.ofDays(180)), "Promoción NOI, vence en seis meses");
        var oldBatch = batches.mint(admin, noi.sku(), 1, now.minus(Duration.ofDays(1)), "Lote vencido");
        saeBatch.keys().forEach(k -> seeder.keys.add(new DemoKey(k.key(), sae.sku(), "ISSUED")));
        coiBatch.keys().forEach(k -> seeder.keys.add(new DemoKey(k.key(), coi.sku(), "ISSUED")));
        noiBatch.keys().forEach(k -> seeder.keys.add(new DemoKey(k.key(), noi.sku(), "ISSUED")));
        oldBatch.keys().forEach(k -> seeder.keys.add(new DemoKey(k.key(), noi.sku(), "EXPIRED")));

        // Confirmed in the desk by the demo users, some already given to clients.
        seeder.confirm("ana.lopez", saeBatch.keys().get(0).key(), sae);
        seeder.confirm("carlos.mendez", saeBatch.keys().get(1).key(), sae);
        seeder.confirm("beatriz.soto", saeBatch.keys().get(2).key(), sae);
        seeder.confirm("ana.lopez", coiBatch.keys().get(0).key(), coi);
        seeder.confirm("ana.lopez", coiBatch.keys().get(1).key(), coi);
        seeder.confirm("beatriz.soto", coiBatch.keys().get(2).key(), coi);
        seeder.confirm("carlos.mendez", noiBatch.keys().get(0).key(), noi);
        seeder.assign("ana.lopez", saeBatch.keys().get(0), "GODE561231GR8", "Eduardo Gómez Díaz");
        seeder.assign("ana.lopez", coiBatch.keys().get(0), ClientRfc.GENERIC_PUBLIC, "Público en general");
        seeder.assign("beatriz.soto", saeBatch.keys().get(2), "XAXX010101000", "Mostrador Sur");
        context.getBean(KeyVoiding.class).voidKey(admin, coiBatch.keys().get(5).keyId(), "Clave de demostración anulada");
        seeder.status(coiBatch.keys().get(5).key(), "VOID");
        return seeder.keys;
    }

    /** Runs the demo users' actions through the same services the API uses, and keeps the demo keys' statuses. */
    private static final class Seeder {
        private final ActivationService activation;
        private final KeyAssignment assignment;
        private final Map<String, String> subs;
        private final List<DemoKey> keys = new ArrayList<>();

        Seeder(ApplicationContext context, Map<String, String> subs) {
            this.activation = context.getBean(ActivationService.class);
            this.assignment = context.getBean(KeyAssignment.class);
            this.subs = subs;
        }

        void confirm(String username, String key, Product product) {
            activation.confirm(distributor(username), new ActivationService.ConfirmCommand(key, true, product.license().version(),
                    "127.0.0.1", "local-stack-seed"));
            status(key, "AVAILABLE");
        }

        void assign(String username, Batches.MintedKey key, String rfc, String client) {
            assignment.assign(distributor(username), key.keyId(), rfc, client, false, "127.0.0.1");
            status(key.key(), "USED");
        }

        void status(String key, String status) {
            keys.replaceAll(k -> k.key().equals(key) ? new DemoKey(k.key(), k.productSku(), status) : k);
        }

        private DistributorUser distributor(String username) {
            DemoUser user = user(username);
            // the demo users' addresses are verified (LocalCognito creates them so): their emails go out
            return new DistributorUser(new UserId(subs.get(username)), user.username(), user.email(), true, user.name(),
                    new DistributorId(user.distributorId()), user.locale());
        }
    }

    public static DemoUser user(String username) {
        return USERS.stream().filter(u -> u.username().equals(username)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no demo user " + username));
    }

    private static String licenceText(String product) {
        return """
                LICENCIA DE USO DE %s (texto de demostración)

                1. Objeto. El titular de esta clave de prepago obtiene el derecho no exclusivo e intransferible de usar \
                %s durante el plazo del producto, contado a partir de su activación.
                2. Alcance. La licencia cubre una empresa (RFC) y el número de usuarios del producto adquirido.
                3. Datos. El proveedor trata los datos personales conforme a su aviso de privacidad.
                4. Aceptación. Al marcar "Acepto la licencia de uso" y confirmar la clave, el distribuidor acepta estos \
                términos en nombre de su cliente.""".formatted(product, product);
    }
}
