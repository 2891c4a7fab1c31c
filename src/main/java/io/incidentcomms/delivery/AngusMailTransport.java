package io.incidentcomms.delivery;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Deque;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPMessage;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;

import io.quarkus.mailer.runtime.MailerRuntimeConfig;
import io.vertx.core.Vertx;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMultipart;

/**
 * Emails through Eclipse Angus Mail (Jakarta Mail), from the same {@code quarkus.mailer.*}
 * settings as {@link VertxMailTransport} except DKIM, which Angus does not sign. Its own pool: at
 * most {@code max-pool-size} connections, each used by one sender at a time, kept open across
 * messages until {@code keep-alive-timeout} idle or {@code max-mails-per-connection}; after a
 * refusal RSET, and the connection is dropped if that fails; after anything else it is dropped.
 * Every step has the SMTP timeout (connect, each read, each write) and a watchdog closes the
 * socket of a send that outlives the deadline.
 */
final class AngusMailTransport implements MailTransport {

    /** Angus reports a refused greeting in words: "... response: 421". */
    private static final Pattern GREETING_REFUSED = Pattern.compile("response: (\\d{3})");
    /** Which socket belongs to the connection being opened on this thread, for the watchdog. */
    private static final ThreadLocal<Connection> OPENING = new ThreadLocal<>();

    private final Session session;
    private final MailerRuntimeConfig mailer;
    private final Duration deadline;
    private final Semaphore permits;
    private final Deque<Connection> idle = new ConcurrentLinkedDeque<>();
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "smtp-deadline-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    AngusMailTransport(Vertx vertx, MailerRuntimeConfig mailer, Duration stepTimeout, Duration deadline) {
        if (mailer.dkim().enabled()) {
            throw new IllegalStateException("Angus Mail does not sign with DKIM: set comms.delivery.email.library=vertx"
                    + " to keep quarkus.mailer.dkim, or let the relay sign");
        }
        // Jakarta Mail 2.1 looks its stream provider up through ServiceLoader for every part it
        // encodes unless this names it; the lookup alone costs more than the rest of the encoding
        if (System.getProperty("jakarta.mail.util.StreamProvider") == null) {
            System.setProperty("jakarta.mail.util.StreamProvider", "org.eclipse.angus.mail.util.MailStreamProvider");
        }
        this.mailer = mailer;
        this.deadline = deadline;
        this.permits = new Semaphore(mailer.maxPoolSize(), true);
        this.session = Session.getInstance(properties(vertx, mailer, stepTimeout));
    }

    @Override
    public void send(OutgoingEmail email) {
        SMTPMessage message = message(email);
        long startedAt = System.nanoTime();
        try {
            if (!permits.tryAcquire(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new SmtpClient.DeadlineExceeded(deadline);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for an SMTP connection", e);
        }
        Connection connection = idleConnection();
        long left = deadline.toNanos() - (System.nanoTime() - startedAt);
        ScheduledFuture<?> timer = watchdog.schedule(connection::abort, Math.max(left, 0), TimeUnit.NANOSECONDS);
        boolean reusable = false;
        try {
            open(connection);
            connection.transport.sendMessage(message, message.getAllRecipients());
            connection.sent++;
            reusable = mailer.keepAlive() && mailer.maxMailsPerConnection().stream().noneMatch(max -> connection.sent >= max);
        } catch (MessagingException e) {
            if (connection.aborted) {
                throw new SmtpClient.DeadlineExceeded(deadline);
            }
            SmtpRefusal refusal = refusal(e);
            if (refusal == null) {
                throw new IllegalStateException(e.getMessage(), e);
            }
            reusable = mailer.keepAlive() && connection.reset();
            throw refusal;
        } finally {
            timer.cancel(false);
            if (reusable && !connection.aborted) {
                connection.idleSince = System.nanoTime();
                idle.addFirst(connection);
            } else {
                connection.close();
            }
            permits.release();
        }
    }

    /** Opens the connection if it is new; a failure there means the server has nothing of this message. */
    private void open(Connection connection) throws MessagingException {
        try {
            connection.open();
        } catch (MessagingException e) {
            if (connection.aborted || refusal(e) != null || e instanceof jakarta.mail.AuthenticationFailedException) {
                throw e;
            }
            connection.abort();
            throw new SmtpClient.NotSent(e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        for (Connection connection = idle.poll(); connection != null; connection = idle.poll()) {
            connection.close();
        }
    }

    /** The most recently used open connection that has not idled too long, or a new one. */
    private Connection idleConnection() {
        long now = System.nanoTime();
        for (Connection connection = idle.pollFirst(); connection != null; connection = idle.pollFirst()) {
            if (now - connection.idleSince < mailer.keepAliveTimeout().toNanos()) {
                return connection;
            }
            connection.close();
        }
        return new Connection();
    }

    /** One SMTP connection and the socket under it, which the watchdog may close from its own thread. */
    private final class Connection {
        private final SMTPTransport transport;
        private volatile Socket socket;
        private volatile boolean aborted;
        private boolean opened;
        private long idleSince;
        private long sent;

        Connection() {
            try {
                transport = (SMTPTransport) session.getTransport("smtp");
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }

        void open() throws MessagingException {
            // not transport.isConnected(): that asks the server (NOOP), a round trip per message
            if (opened) {
                return;
            }
            OPENING.set(this);
            try {
                transport.connect(mailer.host(), mailer.port().orElse(-1), mailer.username().orElse(null),
                        mailer.password().orElse(null));
                opened = true;
            } finally {
                OPENING.remove();
            }
        }

        /** After a refusal the server waits for the next MAIL; RSET makes sure no half transaction is left. */
        boolean reset() {
            try {
                transport.issueCommand("RSET", 250);
                return true;
            } catch (MessagingException | RuntimeException e) {
                return false;
            }
        }

        void abort() {
            aborted = true;
            Socket current = socket;
            if (current != null) {
                try {
                    current.close();
                } catch (IOException e) {
                    // closing is all we wanted
                }
            }
        }

        void close() {
            if (aborted) {
                return;
            }
            try {
                transport.close();
            } catch (MessagingException | RuntimeException e) {
                abort();
            }
        }
    }

    /** The server's reply if it refused the message, null if the send ended any other way. */
    static SmtpRefusal refusal(MessagingException e) {
        for (Exception cause = e; cause != null;
                cause = cause instanceof MessagingException m ? m.getNextException() : null) {
            if (cause instanceof SMTPAddressFailedException address) {
                return new SmtpRefusal(address.getReturnCode(), reply(address.getMessage()), e);
            }
            if (cause instanceof SMTPSendFailedException send && send.getReturnCode() > 0) {
                return new SmtpRefusal(send.getReturnCode(), reply(send.getMessage()), e);
            }
        }
        Matcher greeting = GREETING_REFUSED.matcher(String.valueOf(e.getMessage()));
        if (greeting.find() && greeting.group(1).charAt(0) >= '4') {
            return new SmtpRefusal(Integer.parseInt(greeting.group(1)), e.getMessage(), e);
        }
        return null;
    }

    private static String reply(String message) {
        return message == null ? "" : message.strip();
    }

    private SMTPMessage message(OutgoingEmail email) {
        try {
            SMTPMessage message = new SMTPMessage(session) {
                @Override
                protected void updateMessageID() throws MessagingException {
                    // keep the Message-ID the sender gave (it names the notification), if any
                    if (getHeader("Message-ID") == null) {
                        super.updateMessageID();
                    }
                }
            };
            message.setFrom(InternetAddress.parse(email.from(), false)[0]);
            message.setRecipient(Message.RecipientType.TO, new InternetAddress(email.to(), true));
            message.setSubject(email.subject(), "UTF-8");
            for (var header : email.headers().entrySet()) {
                message.addHeader(header.getKey(), header.getValue());
            }
            if (email.bounceAddress() != null) {
                message.setEnvelopeFrom(email.bounceAddress());
            }
            if (email.html() == null) {
                message.setText(email.text(), "UTF-8");
            } else {
                MimeBodyPart text = new MimeBodyPart();
                text.setText(email.text(), "UTF-8");
                MimeBodyPart html = new MimeBodyPart();
                html.setText(email.html(), "UTF-8", "html");
                message.setContent(new MimeMultipart("alternative", text, html));
            }
            message.saveChanges();
            return message;
        } catch (AddressException e) {
            throw new SmtpRefusal(553, "553 5.1.3 not sent: the address is not valid (" + e.getMessage() + ")", e);
        } catch (MessagingException e) {
            throw new IllegalStateException("the email could not be built: " + e.getMessage(), e);
        }
    }

    private static Properties properties(Vertx vertx, MailerRuntimeConfig mailer, Duration stepTimeout) {
        String timeout = String.valueOf(stepTimeout.toMillis());
        Properties properties = new Properties();
        properties.put("mail.smtp.connectiontimeout", timeout);
        properties.put("mail.smtp.timeout", timeout);
        properties.put("mail.smtp.writetimeout", timeout);
        properties.put("mail.smtp.ehlo", String.valueOf(!mailer.disableEsmtp()));
        mailer.ownHostName().ifPresent(host -> properties.put("mail.smtp.localhost", host));
        String login = mailer.login().toUpperCase(Locale.ROOT);
        properties.put("mail.smtp.auth", String.valueOf(mailer.username().isPresent() && !login.equals("DISABLED")));
        mailer.authMethods().ifPresent(methods -> properties.put("mail.smtp.auth.mechanisms", methods));
        String startTls = mailer.startTLS().toUpperCase(Locale.ROOT);
        properties.put("mail.smtp.starttls.enable", String.valueOf(!startTls.equals("DISABLED")));
        properties.put("mail.smtp.starttls.required", String.valueOf(startTls.equals("REQUIRED")));
        boolean implicitTls = mailer.tls().orElse(mailer.ssl());
        properties.put("mail.smtp.ssl.enable", String.valueOf(implicitTls));
        boolean trustAll = mailer.trustAll().orElse(false);
        properties.put("mail.smtp.ssl.checkserveridentity", String.valueOf(!trustAll));
        SSLSocketFactory tls = tlsSocketFactory(vertx, mailer, trustAll);
        // every socket passes through these so that the watchdog can close the one a late send uses
        properties.put("mail.smtp.socketFactory", new WatchedSocketFactory());
        properties.put("mail.smtp.socketFactory.fallback", "false");
        properties.put("mail.smtp.ssl.socketFactory", new WatchedTlsSocketFactory(tls));
        return properties;
    }

    private static SSLSocketFactory tlsSocketFactory(Vertx vertx, MailerRuntimeConfig mailer, boolean trustAll) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            if (trustAll) {
                context.init(null, new javax.net.ssl.TrustManager[] { new TrustingEveryone() }, null);
            } else {
                var store = SmtpTrustStore.of(mailer);
                if (store.isEmpty()) {
                    return (SSLSocketFactory) SSLSocketFactory.getDefault();
                }
                TrustManagerFactory trust = store.get().getTrustManagerFactory(vertx);
                context.init(null, trust.getTrustManagers(), null);
            }
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the SMTP trust store could not be used: " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IllegalStateException("the SMTP trust store could not be read: " + e.getMessage(), e);
        }
    }

    /** quarkus.mailer.trust-all: the operator chose to trust any certificate. */
    private static final class TrustingEveryone implements javax.net.ssl.X509TrustManager {
        public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
        }

        public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
        }

        public java.security.cert.X509Certificate[] getAcceptedIssuers() {
            return new java.security.cert.X509Certificate[0];
        }
    }

    private static Socket watched(Socket socket) {
        Connection connection = OPENING.get();
        if (connection != null) {
            connection.socket = socket;
            if (connection.aborted) {
                connection.abort();
            }
        }
        return socket;
    }

    /** Creates plain sockets and hands each to the connection opening on this thread. */
    private static final class WatchedSocketFactory extends SocketFactory {
        private final SocketFactory delegate = SocketFactory.getDefault();

        @Override
        public Socket createSocket() throws IOException {
            return watched(delegate.createSocket());
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return watched(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return watched(delegate.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return watched(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
            return watched(delegate.createSocket(address, port, localAddress, localPort));
        }
    }

    /** The same for TLS sockets (quarkus.mailer.tls); STARTTLS layers over the watched plain socket. */
    private static final class WatchedTlsSocketFactory extends SSLSocketFactory {
        private final SSLSocketFactory delegate;

        WatchedTlsSocketFactory(SSLSocketFactory delegate) {
            this.delegate = delegate;
        }

        @Override
        public Socket createSocket() throws IOException {
            return watched(delegate.createSocket());
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return watched(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return watched(delegate.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return watched(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
            return watched(delegate.createSocket(address, port, localAddress, localPort));
        }

        @Override
        public Socket createSocket(Socket plain, String host, int port, boolean autoClose) throws IOException {
            return delegate.createSocket(plain, host, port, autoClose);
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }
    }
}
