package mx.prepaidkeys.domain;

/** Sends the activation's confirmation email. */
public interface ConfirmationMailer {

    /**
     * @return the provider's message id
     * @throws RuntimeException when the provider did not take the message (the email stays owed)
     */
    String send(ConfirmationEmail email);
}
