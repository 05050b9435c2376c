package mx.prepaidkeys.acceptance;

import java.security.SecureRandom;
import mx.prepaidkeys.domain.PrepaidKeyCode;

/** Valid keys that no table holds until a test stores them. */
final class PrepaidKeyCodes {
    private static final SecureRandom RANDOM = new SecureRandom();

    private PrepaidKeyCodes() {}

    static String fresh() {
        return PrepaidKeyCode.generate(RANDOM).formatted();
    }
}
