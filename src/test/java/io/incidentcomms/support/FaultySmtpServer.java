package io.incidentcomms.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import java.util.function.Predicate;

/**
 * An SMTP server that misbehaves the way real ones do, for the email channel's fault tests. Per
 * connection it may never send its greeting; per message (counted across connections) it may
 * answer a 4xx after the data (no message more than twice), stall after the data without ever answering, or take a while to
 * answer. A message counts as delivered only when it was answered 250, by the notification id in
 * its {@code X-Comms-Notification} header.
 */
public final class FaultySmtpServer implements AutoCloseable {

    /**
     * What the server does with one connection or one message, chosen by its number (1, 2, 3, …),
     * and which recipients it refuses for good with {@link #POLICY_REFUSAL}.
     */
    public record Faults(IntPredicate silentGreeting, IntPredicate temporaryFailure, IntPredicate stallAfterData,
            Duration answerDelay, Predicate<String> refusedRecipient, Duration everyReplyDelay) {

        public Faults(IntPredicate silentGreeting, IntPredicate temporaryFailure, IntPredicate stallAfterData,
                Duration answerDelay) {
            this(silentGreeting, temporaryFailure, stallAfterData, answerDelay, address -> false, Duration.ZERO);
        }

        public static Faults none() {
            return new Faults(n -> false, n -> false, n -> false, Duration.ZERO);
        }

        public Faults refusing(Predicate<String> recipients) {
            return new Faults(silentGreeting, temporaryFailure, stallAfterData, answerDelay, recipients, everyReplyDelay);
        }

        /** Every reply, from the greeting on, comes this late: each step in time, the whole session slow. */
        public Faults answeringEveryStepAfter(Duration delay) {
            return new Faults(silentGreeting, temporaryFailure, stallAfterData, answerDelay, refusedRecipient, delay);
        }
    }

    /** How a recipient's mail server refuses us by its policy (as Microsoft 365 and Postfix word it). */
    public static final String POLICY_REFUSAL = "554 5.7.1 <%s>: Recipient address rejected: Access denied";

    private final ServerSocket socket;
    private final ExecutorService connections = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "faulty-smtp");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger connectionCount = new AtomicInteger();
    private final AtomicInteger messageCount = new AtomicInteger();
    private final AtomicInteger silentCount = new AtomicInteger();
    private final AtomicInteger stalledCount = new AtomicInteger();
    private final AtomicInteger refusedCount = new AtomicInteger();
    private final Map<Long, AtomicInteger> delivered = new ConcurrentHashMap<>();
    private final Map<Long, AtomicInteger> refusals = new ConcurrentHashMap<>();
    private volatile Faults faults;

    public FaultySmtpServer(int port, Faults faults) {
        this.faults = faults;
        try {
            socket = new ServerSocket(port, 100, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        connections.execute(this::accept);
    }

    /** Behaves so from now on: connections and messages are counted afresh (the faults' numbers start at 1). */
    public void behave(Faults faults) {
        this.faults = faults;
        connectionCount.set(0);
        messageCount.set(0);
        silentCount.set(0);
        stalledCount.set(0);
        refusedCount.set(0);
    }

    /** How many times the server answered 250 to each notification's message. */
    public Map<Long, Integer> deliveries() {
        Map<Long, Integer> counts = new ConcurrentHashMap<>();
        delivered.forEach((id, count) -> counts.put(id, count.get()));
        return counts;
    }

    public int connections() {
        return connectionCount.get();
    }

    public int silentConnections() {
        return silentCount.get();
    }

    public int stalledMessages() {
        return stalledCount.get();
    }

    public int temporaryFailures() {
        return refusedCount.get();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                open.add(client);
                int number = connectionCount.incrementAndGet();
                connections.execute(() -> converse(client, number));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void converse(Socket client, int number) {
        try (client) {
            BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = client.getOutputStream();
            if (faults.silentGreeting().test(number)) {
                silentCount.incrementAndGet();
                while (in.readLine() != null) {
                    // says nothing, ever; reads what comes until the client gives up
                }
                return;
            }
            say(out, "220 faulty.example.com ESMTP");
            String line;
            while ((line = in.readLine()) != null) {
                String command = line.length() >= 4 ? line.substring(0, 4).toUpperCase(java.util.Locale.ROOT) : line;
                switch (command) {
                    case "EHLO" -> say(out, "250-faulty.example.com\r\n250-8BITMIME\r\n250 SIZE 10485760");
                    case "RCPT" -> {
                        String address = line.replaceAll("(?i)^RCPT TO:\\s*<?([^>\\s]*)>?.*$", "$1");
                        say(out, faults.refusedRecipient().test(address) ? POLICY_REFUSAL.formatted(address) : "250 OK");
                    }
                    case "HELO", "MAIL", "RSET", "NOOP" -> say(out, "250 OK");
                    case "QUIT" -> {
                        say(out, "221 bye");
                        return;
                    }
                    case "DATA" -> {
                        say(out, "354 go ahead");
                        if (!receive(in, out)) {
                            return;
                        }
                    }
                    default -> say(out, "502 not implemented");
                }
            }
        } catch (IOException gone) {
            // the client closed the connection
        } finally {
            open.remove(client);
        }
    }

    /** Reads one message; false when the server stalls on it (and the connection is done). */
    private boolean receive(BufferedReader in, OutputStream out) throws IOException {
        Long notification = null;
        String line;
        while ((line = in.readLine()) != null && !line.equals(".")) {
            if (notification == null && line.regionMatches(true, 0, "X-Comms-Notification:", 0, 21)) {
                notification = Long.valueOf(line.substring(21).strip());
            }
        }
        if (line == null) {
            return false;
        }
        int number = messageCount.incrementAndGet();
        Faults now = faults;
        if (now.stallAfterData().test(number)) {
            stalledCount.incrementAndGet();
            while (in.readLine() != null) {
                // never answers; the message is not taken
            }
            return false;
        }
        if (now.temporaryFailure().test(number) && refusedTwiceAtMost(notification)) {
            refusedCount.incrementAndGet();
            say(out, "451 4.3.0 Temporary local problem, try again later");
            return true;
        }
        if (!pause(now.answerDelay())) {
            return false;
        }
        if (notification != null) {
            delivered.computeIfAbsent(notification, id -> new AtomicInteger()).incrementAndGet();
        }
        say(out, "250 2.0.0 queued as " + number);
        return true;
    }

    /** A real server's temporary trouble passes: it refuses no one message more than twice. */
    private boolean refusedTwiceAtMost(Long notification) {
        return notification == null
                || refusals.computeIfAbsent(notification, id -> new AtomicInteger()).incrementAndGet() <= 2;
    }

    private void say(OutputStream out, String reply) throws IOException {
        pause(faults.everyReplyDelay());
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Waits as a fault asks; false if the server is being stopped meanwhile. */
    private static boolean pause(Duration delay) {
        if (delay.isZero()) {
            return true;
        }
        try {
            Thread.sleep(delay.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket client : open) {
            try {
                client.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        connections.shutdownNow();
    }
}
