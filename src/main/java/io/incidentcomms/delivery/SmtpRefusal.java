package io.incidentcomms.delivery;

/**
 * The SMTP server answered a command with an error reply: nothing was accepted. Whichever
 * library sent the email reports its refusals as this, so what a reply means is decided in one
 * place ({@link ProviderCodes#smtp}).
 */
public final class SmtpRefusal extends RuntimeException {

    private final int replyCode;
    private final String replyMessage;

    public SmtpRefusal(int replyCode, String replyMessage, Throwable cause) {
        super("SMTP " + (replyMessage.startsWith(String.valueOf(replyCode)) ? replyMessage : replyCode + " " + replyMessage),
                cause);
        this.replyCode = replyCode;
        this.replyMessage = replyMessage;
    }

    public int replyCode() {
        return replyCode;
    }

    public String replyMessage() {
        return replyMessage;
    }
}
