package mx.prepaidkeys.local;

import io.micronaut.context.ApplicationContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mx.prepaidkeys.activation.ActivationService;
import mx.prepaidkeys.activation.KeyIssuer;
import mx.prepaidkeys.domain.DistributorUser;
import mx.prepaidkeys.domain.KeyRepository;
import mx.prepaidkeys.domain.License;
import mx.prepaidkeys.domain.PrepaidKeyCode;
import mx.prepaidkeys.domain.Product;

/**
 * What the local stack holds on its first start: two distributors and an admin, three products
 * with their licences, and a batch of keys per product, some already activated so that "Claves
 * prepago" is not empty. Everything goes through the same domain code as production.
 */
public final class DemoData {
    /** One password for every demo user: this is a demo, and the banner prints it. */
    public static final String PASSWORD = "Prepago-2026";
    /** The key in events/*.json, stored ISSUED so that the sample events work against the stack. */
    public static final String SAMPLE_KEY = "QMQ0B-FWQPJ-BY38V-P2NX3-M3SQG";

    public record DemoUser(String username, String password, String email, String name, String locale, List<String> groups,
                           String distributorId, String distributorName) {}

    public record DemoKey(String key, String productSku, String status) {}

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

    /** Seeds an empty table; returns the demo keys with their plain text (demo data only). */
    public static List<DemoKey> seed(ApplicationContext context, Map<String, String> subsByUsername) {
        KeyRepository repository = context.getBean(KeyRepository.class);
        KeyIssuer issuer = context.getBean(KeyIssuer.class);
        ActivationService activation = context.getBean(ActivationService.class);
        PRODUCTS.forEach(repository::saveProduct);

        List<DemoKey> keys = new ArrayList<>();
        Product sae = PRODUCTS.get(0);
        Product coi = PRODUCTS.get(1);
        Product noi = PRODUCTS.get(2);
        issuer.store(sae, List.of(PrepaidKeyCode.parse(SAMPLE_KEY)), "demo-sae", null);
        keys.add(new DemoKey(SAMPLE_KEY, sae.sku(), "ISSUED"));

        keys.addAll(batch(issuer, activation, subsByUsername, sae, 8, null, List.of("ana.lopez", "carlos.mendez", "beatriz.soto")));
        keys.addAll(batch(issuer, activation, subsByUsername, coi, 6, null, List.of("ana.lopez", "ana.lopez", "beatriz.soto")));
        keys.addAll(batch(issuer, activation, subsByUsername, noi, 4, Instant.now().plus(Duration.ofDays(180)), List.of("carlos.mendez")));
        for (var expired : issuer.mint(noi, 1, "demo-noi-old", Instant.now().minus(Duration.ofDays(1)))) {
            keys.add(new DemoKey(expired.code().formatted(), noi.sku(), "EXPIRED"));
        }
        return keys;
    }

    /** Mints a batch and has the given users confirm its first keys, one each, as they would in the desk. */
    private static List<DemoKey> batch(KeyIssuer issuer, ActivationService activation, Map<String, String> subs, Product product,
                                       int size, Instant expiresAt, List<String> confirmers) {
        List<DemoKey> keys = new ArrayList<>();
        var minted = issuer.mint(product, size, "demo-" + product.sku().toLowerCase(), expiresAt);
        for (int i = 0; i < minted.size(); i++) {
            String plain = minted.get(i).code().formatted();
            if (i < confirmers.size()) {
                DemoUser user = user(confirmers.get(i));
                activation.confirm(new DistributorUser(subs.get(user.username()), user.email(), user.name(), user.distributorId(),
                        user.locale()), new ActivationService.ConfirmCommand(plain, true, product.license().version(), "127.0.0.1",
                        "local-stack-seed"));
                keys.add(new DemoKey(plain, product.sku(), "AVAILABLE"));
            } else {
                keys.add(new DemoKey(plain, product.sku(), "ISSUED"));
            }
        }
        return keys;
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
