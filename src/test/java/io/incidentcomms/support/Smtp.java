package io.incidentcomms.support;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;

/**
 * One GreenMail for the whole test run on the mailer's port, emptied between tests rather than
 * restarted: a restarted server leaves the mail client's pooled connections dead, and a send on
 * one of those stalls until the client's timeout.
 */
public final class Smtp {

    private static final GreenMail SERVER = new GreenMail(ServerSetupTest.SMTP);

    static {
        SERVER.start();
    }

    private Smtp() {
    }

    public static GreenMail server() {
        return SERVER;
    }

    /** The messages received for an address, oldest first. */
    public static List<MimeMessage> to(String address) {
        return Arrays.asList(SERVER.getReceivedMessagesForDomain(address));
    }

    /** The decoded text/plain part of an email, with its lines ending in \n. */
    public static String text(MimeMessage message) {
        return part(message, "text/plain").replace("\r\n", "\n");
    }

    /** A link from a message as a path for the test's server (the message names the public address). */
    public static String path(String link) {
        return link.replaceFirst("^https?://[^/]+", "");
    }

    /** The decoded text/html part of an email. */
    public static String html(MimeMessage message) {
        return part(message, "text/html");
    }

    public static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every http(s) link in a text, in order. */
    public static List<String> links(String text) {
        List<String> links = new ArrayList<>();
        Matcher m = Pattern.compile("https?://[^\\s\"<>]+").matcher(text);
        while (m.find()) {
            links.add(m.group());
        }
        return links;
    }

    private static String part(MimeMessage message, String type) {
        try {
            Object content = message.getContent();
            if (content instanceof Multipart multipart) {
                for (int i = 0; i < multipart.getCount(); i++) {
                    BodyPart part = multipart.getBodyPart(i);
                    if (part.isMimeType(type)) {
                        return part.getContent().toString();
                    }
                }
                throw new IllegalStateException("No " + type + " part");
            }
            return content.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Forgets every message received so far. */
    public static void purge() {
        try {
            SERVER.purgeEmailFromAllMailboxes();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
