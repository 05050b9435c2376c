package mx.prepaidkeys.mail;

import jakarta.inject.Singleton;
import mx.prepaidkeys.config.ServiceSettings;
import mx.prepaidkeys.domain.ConfirmationEmail;
import mx.prepaidkeys.domain.ConfirmationMailer;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.Body;
import software.amazon.awssdk.services.sesv2.model.Content;
import software.amazon.awssdk.services.sesv2.model.Message;

/** Sends confirmation emails with SESv2 SendEmail (simple content: text and HTML parts). */
@Singleton
public class SesConfirmationMailer implements ConfirmationMailer {
    private final SesV2Client ses;
    private final String sender;
    private final String deskUrl;

    public SesConfirmationMailer(SesV2Client ses, ServiceSettings settings) {
        this.ses = ses;
        this.sender = settings.requireSenderAddress();
        this.deskUrl = settings.deskUrl().orElse(null);
    }

    @Override
    public String send(ConfirmationEmail email) {
        ConfirmationEmailText text = ConfirmationEmailText.render(email, deskUrl);
        Message message = Message.builder()
                .subject(utf8(text.subject()))
                .body(Body.builder().text(utf8(text.text())).html(utf8(text.html())).build())
                .build();
        return ses.sendEmail(r -> r.fromEmailAddress(sender)
                .destination(d -> d.toAddresses(email.to()))
                .content(c -> c.simple(message))).messageId();
    }

    private static Content utf8(String data) {
        return Content.builder().charset("UTF-8").data(data).build();
    }
}
