package io.incidentcomms.support;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;

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

    /** Forgets every message received so far. */
    public static void purge() {
        try {
            SERVER.purgeEmailFromAllMailboxes();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
