package mx.prepaidkeys.activation;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import mx.prepaidkeys.domain.Activation;
import mx.prepaidkeys.domain.Client;
import mx.prepaidkeys.domain.TextPolicy;
import mx.prepaidkeys.domain.ConfirmationEmail;
import mx.prepaidkeys.domain.DistributorUser;
import mx.prepaidkeys.domain.Distributors;
import mx.prepaidkeys.domain.DomainError;
import mx.prepaidkeys.domain.DomainException;
import mx.prepaidkeys.domain.KeyEvent;
import mx.prepaidkeys.domain.KeyHasher;
import mx.prepaidkeys.domain.KeyRepository;
import mx.prepaidkeys.domain.KeyRepository.KeyChangedConcurrently;
import mx.prepaidkeys.domain.PrepaidKey;
import mx.prepaidkeys.domain.PrepaidKeyCode;
import mx.prepaidkeys.domain.Product;
import mx.prepaidkeys.domain.Timestamps;
import mx.prepaidkeys.i18n.Language;
import mx.prepaidkeys.log.Metric;
import mx.prepaidkeys.log.Metrics;

/**
 * The walkthrough's "Activar claves de producto prepago": capture a key (look, change nothing),
 * then confirm it (accept the licence, activate, owe the confirmation email). Guessing is limited
 * by {@link AttemptGuard}.
 */
@Singleton
public class ActivationService {
    private final KeyRepository keys;
    private final KeyHasher hasher;
    private final AttemptGuard guard;
    private final Distributors distributors;
    private final Clock clock;

    public ActivationService(KeyRepository keys, KeyHasher hasher, AttemptGuard guard, Distributors distributors, Clock clock) {
        this.keys = keys;
        this.distributors = distributors;
        this.hasher = hasher;
        this.guard = guard;
        this.clock = clock;
    }

    /** What a typed key is, for the confirm window. Changes nothing. */
    public CapturedKey capture(DistributorUser user, String typedKey) {
        PrepaidKeyCode code = PrepaidKeyCode.parse(typedKey);
        // Before the attempt guard: a suspended account's user takes no slot and learns nothing about the key.
        distributors.ensureActive(user.distributorId());
        // Unknown, void, expired and foreign keys all take this one path: one read, one failed attempt, one answer.
        PrepaidKey key = guard.attempt(user, () -> {
            PrepaidKey found = find(code);
            found.ensureCapturableBy(user.distributorId(), clock.instant());
            return found;
        });
        return new CapturedKey(key, productOf(key));
    }

    /**
     * ISSUED -> AVAILABLE for the caller's distributor, recording who accepted which licence version,
     * when and from where, and the confirmation email it owes. A repeat by the same distributor (a
     * retry, a double click, or the loser of a race with a colleague) answers like the first and
     * owes nothing more.
     */
    public ConfirmedActivation confirm(DistributorUser user, ConfirmCommand command) {
        PrepaidKeyCode code = PrepaidKeyCode.parse(command.typedKey());
        if (!command.acceptLicense()) throw new DomainException(new DomainError.LicenseNotAccepted());
        distributors.ensureActive(user.distributorId());
        return guard.attempt(user, () -> confirmFound(user, code, command));
    }

    private ConfirmedActivation confirmFound(DistributorUser user, PrepaidKeyCode code, ConfirmCommand command) {
        Instant now = Timestamps.stored(clock.instant());
        PrepaidKey key = find(code);
        PrepaidKey.Confirmation confirmation = key.confirmationBy(user.distributorId(), now);
        if (confirmation == PrepaidKey.Confirmation.REPEAT) {
            return new ConfirmedActivation(key, productOf(key), true);
        }
        Product product = productOf(key);
        if (!product.license().version().equals(command.licenseVersion())) {
            throw new DomainException(new DomainError.LicenseVersionOutdated(product.license().version()));
        }
        // The email goes only to an address the user proved is theirs: anyone can type someone else's.
        String held = user.emailVerified() && user.email() != null ? null : KeyEvent.EMAIL_NOT_VERIFIED;
        // Users write their own name: it goes into the email only when it reads as one (and is escaped there).
        String name = readableName(user.name());
        Activation activation = new Activation(user.distributorId(), now, user.sub(), user.actorName(), name,
                product.license().version(), command.sourceIp(), command.userAgent(), held);
        PrepaidKey activated = key.activate(activation, now);
        Language emailLanguage = command.emailLanguage() != null ? command.emailLanguage() : Language.fromTag(user.locale());
        ConfirmationEmail email = new ConfirmationEmail(key.keyId(), user.email(), name, emailLanguage.tag(),
                key.maskedKey(), product.sku(), product.name(), user.distributorId(), now, product.validUntil(now));
        List<KeyEvent> events = held == null ? List.of(KeyEvent.activated(key.keyId(), activation))
                : List.of(KeyEvent.activated(key.keyId(), activation), KeyEvent.emailHeld(key.keyId(), activation));
        try {
            keys.saveActivation(activated, events, email, held, now);
        } catch (KeyChangedConcurrently lostRace) {
            // Someone confirmed first. Decide again on what is stored now: a colleague's win is a
            // repeat for us (their activation owes the one email); anyone else's is "not redeemable".
            PrepaidKey current = find(code);
            current.confirmationBy(user.distributorId(), clock.instant());
            return new ConfirmedActivation(current, product, true);
        }
        Metrics.count(Metric.ACTIVATIONS);
        // The email owed is recorded with the activation; the notifier sends it from the table's stream
        // (a held one waits for the back office).
        return new ConfirmedActivation(activated, product, false);
    }

    /** The name a user gave themselves, when it reads as a name; otherwise none (the email greets by address). */
    static String readableName(String name) {
        if (name == null || name.isBlank() || name.length() > Client.MAX_NAME) return null;
        TextPolicy.Checked checked = TextPolicy.check(name.strip(), TextPolicy.Kind.NAME);
        return checked.accepted() ? checked.text() : null;
    }

    /** The key under the id of each version of the secret still in use: keys minted before a rotation are found too. */
    private PrepaidKey find(PrepaidKeyCode code) {
        return keys.findAnyKey(hasher.candidates(code).stream().map(KeyHasher.KeyHash::keyId).toList())
                .orElseThrow(() -> new DomainException(new DomainError.KeyNotRedeemable()));
    }

    private Product productOf(PrepaidKey key) {
        return keys.findProduct(key.productSku()).orElseThrow(() ->
                new IllegalStateException("key " + key.keyId().value() + " names product " + key.productSku() + ", which is not in the catalogue"));
    }

    /**
     * A confirm request as the domain needs it; where it came from is part of the licence acceptance record.
     *
     * @param emailLanguage the language the user confirmed in, for the confirmation email; null: the user's {@code locale}
     */
    public record ConfirmCommand(String typedKey, boolean acceptLicense, String licenseVersion, String sourceIp, String userAgent,
                                 Language emailLanguage) {
        public ConfirmCommand(String typedKey, boolean acceptLicense, String licenseVersion, String sourceIp, String userAgent) {
            this(typedKey, acceptLicense, licenseVersion, sourceIp, userAgent, null);
        }
    }

    public record CapturedKey(PrepaidKey key, Product product) {}

    /** @param repeat true when this request did not change anything (the key was already this distributor's) */
    public record ConfirmedActivation(PrepaidKey key, Product product, boolean repeat) {}
}
