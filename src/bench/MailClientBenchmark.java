import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.Vertx;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMultipart;
import org.eclipse.angus.mail.smtp.SMTPMessage;

/**
 * Which SMTP client sends our emails more cheaply: the Vert.x mail client behind Quarkus Mailer
 * (what {@code delivery.SmtpClient} uses) or Eclipse Angus Mail (the Jakarta Mail implementation),
 * each in its own JVM, sending the same email (multipart text and HTML, UTF-8, our headers, a VERP
 * return path) from 8 sender threads to the delivery benchmark's SMTP sink, which runs in a third
 * process and offers PIPELINING. Each client is set up as the service would run it: connections
 * kept open across messages, timeouts on every read and write. Prints each client's own CPU per
 * message (its whole process: encoding, I/O, JIT and GC) after a warm-up, in two alternating rounds,
 * and the ratio; issue 20 moves to Angus Mail only if it is at least twice as cheap.
 *
 * Usage: bash src/bench/mail-client-benchmark.sh   (or: java -cp <test classpath> MailClientBenchmark.java [seconds])
 */
public class MailClientBenchmark {

    /** The delivery benchmark's SMTP sink (DeliveryBenchmark.SMTP_PORT; a source-file program cannot import it). */
    static final int SMTP_PORT = 3525;
    static final int SENDERS = 8;

    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("client")) {
            client(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            return;
        }
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        Process sink = new ProcessBuilder("java", "src/bench/DeliveryBenchmark.java", "sink")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader sinkOut = new BufferedReader(new InputStreamReader(sink.getInputStream(), StandardCharsets.UTF_8));
        String ready = sinkOut.readLine();
        if (ready == null || !ready.startsWith("sink ready")) {
            throw new IllegalStateException("the SMTP sink did not start: " + ready);
        }
        try {
            System.out.printf("same email from %d sender threads to the SMTP sink, %d s warm-up then %d s measured per run%n",
                    SENDERS, seconds, seconds);
            List<Double> vertx = new ArrayList<>();
            List<Double> angus = new ArrayList<>();
            for (int round = 1; round <= 2; round++) {
                vertx.add(run("vertx", seconds));
                angus.add(run("angus", seconds));
            }
            double vertxCpu = vertx.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            double angusCpu = angus.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            System.out.printf("mean CPU per message: Vert.x mail (Quarkus Mailer) %.0f us, Angus Mail %.0f us;"
                    + " Angus costs x%.2f of Vert.x (switch only below x0.50)%n", vertxCpu, angusCpu, angusCpu / vertxCpu);
        } finally {
            sink.destroy();
            sink.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Runs one client in its own JVM, prints its rate and CPU; returns its CPU microseconds per message. */
    static double run(String client, int seconds) throws Exception {
        String classpath = System.getProperty("java.class.path");
        Process process = new ProcessBuilder("java", "-cp", classpath, "src/bench/MailClientBenchmark.java",
                "client", client, String.valueOf(seconds), String.valueOf(seconds))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String result = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (process.waitFor() != 0 || !result.startsWith("sent ")) {
            throw new IllegalStateException(client + " client failed: " + result);
        }
        String[] parts = result.split(" ");
        long sent = Long.parseLong(parts[1]);
        long cpuMicros = Long.parseLong(parts[2]);
        double rate = sent / (double) seconds;
        double perMessage = cpuMicros / (double) sent;
        System.out.printf("  %-32s %7.0f msg/s  %5.0f us CPU per message%n",
                client.equals("vertx") ? "Vert.x mail (Quarkus Mailer)" : "Angus Mail (Jakarta Mail)", rate, perMessage);
        return perMessage;
    }

    // ---------------------------------------------------------------- one client, in its own JVM

    interface Sender extends AutoCloseable {
        void send(long notificationId) throws Exception;
    }

    static void client(String name, int warmUpSeconds, int seconds) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong sent = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        AtomicLong ids = new AtomicLong();
        Vertx vertx = name.equals("vertx") ? Vertx.vertx() : null;
        MailClient shared = vertx == null ? null : MailClient.create(vertx, vertxConfig());
        ExecutorService pool = Executors.newFixedThreadPool(SENDERS);
        for (int t = 0; t < SENDERS; t++) {
            pool.execute(() -> {
                try (Sender sender = shared != null ? new VertxSender(shared) : new AngusSender()) {
                    while (!stop.get()) {
                        sender.send(ids.incrementAndGet());
                        sent.incrementAndGet();
                    }
                } catch (Exception e) {
                    failures.incrementAndGet();
                    e.printStackTrace();
                }
            });
        }
        Thread.sleep(warmUpSeconds * 1000L);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long sent0 = sent.get();
        Thread.sleep(seconds * 1000L);
        long cpu = os.getProcessCpuTime() - cpu0;
        long count = sent.get() - sent0;
        stop.set(true);
        pool.shutdown();
        pool.awaitTermination(30, TimeUnit.SECONDS);
        if (shared != null) {
            shared.close();
            vertx.close();
        }
        if (failures.get() > 0) {
            System.out.println("failed in " + failures.get() + " senders");
            System.exit(1);
        }
        System.out.println("sent " + count + " " + cpu / 1000);
        System.exit(0);
    }

    static final String SUBJECT = "Example Rail: Signal failure between Leeds and York – trains delayed";
    static final String TEXT = ("We are sorry: a signal failure between Leeds and York means trains are running up to 40 minutes"
            + " late. We know this disrupts your plans, and that’s frustrating.\n\n").repeat(6)
            + "Here is what you can do now:\n1. Travel on a later train with today’s ticket\n2. Claim a refund\n\n"
            + "We will keep you posted: our next update comes by 14:30.\n\nUnsubscribe: https://status.example.com/u/%s\n";
    static final String HTML = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Update</title>"
            + "<style>body{font-family:sans-serif;color:#1a1a1a}a.button{display:inline-block;padding:8px 16px}</style></head><body>"
            + ("<p>We are sorry: a signal failure between Leeds and York means trains are running up to 40 minutes late."
                    + " We know this disrupts your plans, and that’s frustrating.</p>").repeat(8)
            + "<ul><li><a class=\"button\" href=\"https://status.example.com/a/%s/1\">Travel on a later train</a></li>"
            + "<li><a class=\"button\" href=\"https://status.example.com/a/%s/2\">Claim a refund</a></li></ul>"
            + "<p>We will keep you posted: our next update comes by 14:30.</p>"
            + "<p><a href=\"https://status.example.com/u/%s\">Unsubscribe</a></p></body></html>";

    static String token() {
        return UUID.randomUUID().toString();
    }

    static String messageId(long id) {
        return "n" + id + "." + UUID.randomUUID() + "@comms.example.com";
    }

    /** The service's settings: Quarkus Mailer's defaults (pool of 10, keep-alive, pipelining) plus our timeouts. */
    static MailConfig vertxConfig() {
        MailConfig mail = new MailConfig().setHostname("127.0.0.1").setPort(SMTP_PORT).setKeepAlive(true)
                .setMaxPoolSize(10).setLogin(LoginOption.DISABLED).setStarttls(StartTLSOptions.OPTIONAL)
                .setPipelining(true);
        mail.setConnectTimeout(30_000);
        mail.setIdleTimeout(30_000);
        mail.setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
        return mail;
    }

    /** What {@code delivery.EmailSender} builds and {@code delivery.SmtpClient} sends. */
    record VertxSender(MailClient client) implements Sender {
        public void send(long id) throws Exception {
            String token = token();
            MailMessage mail = new MailMessage().setFrom("Example Rail <status@example.com>")
                    .setTo("customer" + id + "@example.net").setSubject(SUBJECT)
                    .setHtml(HTML.formatted(token, token, token)).setText(TEXT.formatted(token))
                    .addHeader("Message-ID", "<" + messageId(id) + ">")
                    .addHeader("List-Unsubscribe", "<https://status.example.com/u/" + token + ">")
                    .addHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
                    .addHeader("X-Comms-Notification", String.valueOf(id))
                    .setBounceAddress("bounces+n" + id + "@example.com");
            client.sendMail(mail).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }

        public void close() {
        }
    }

    /** The same email through Angus Mail: one session and one open transport per sender thread. */
    static final class AngusSender implements Sender {
        private final Session session;
        private final Transport transport;

        AngusSender() throws Exception {
            // Jakarta Mail 2.1 looks its stream provider up through ServiceLoader on every part it
            // encodes unless this names it; without it Angus spends most of its time in that lookup
            System.setProperty("jakarta.mail.util.StreamProvider", "org.eclipse.angus.mail.util.MailStreamProvider");
            Properties properties = new Properties();
            properties.put("mail.smtp.host", "127.0.0.1");
            properties.put("mail.smtp.port", String.valueOf(SMTP_PORT));
            properties.put("mail.smtp.connectiontimeout", "30000");
            properties.put("mail.smtp.timeout", "30000");
            properties.put("mail.smtp.writetimeout", "30000");
            properties.put("mail.smtp.starttls.enable", "true");
            properties.put("mail.smtp.localhost", "comms.example.com");
            session = Session.getInstance(properties);
            transport = session.getTransport("smtp");
            transport.connect();
        }

        public void send(long id) throws Exception {
            String token = token();
            String messageId = "<" + messageId(id) + ">";
            SMTPMessage message = new SMTPMessage(session) {
                @Override
                protected void updateMessageID() throws jakarta.mail.MessagingException {
                    setHeader("Message-ID", messageId);
                }
            };
            message.setFrom(new InternetAddress("status@example.com", "Example Rail", "UTF-8"));
            message.setRecipient(Message.RecipientType.TO, new InternetAddress("customer" + id + "@example.net"));
            message.setSubject(SUBJECT, "UTF-8");
            message.setHeader("List-Unsubscribe", "<https://status.example.com/u/" + token + ">");
            message.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
            message.setHeader("X-Comms-Notification", String.valueOf(id));
            message.setEnvelopeFrom("bounces+n" + id + "@example.com");
            MimeBodyPart text = new MimeBodyPart();
            text.setText(TEXT.formatted(token), "UTF-8");
            MimeBodyPart html = new MimeBodyPart();
            html.setText(HTML.formatted(token, token, token), "UTF-8", "html");
            MimeMultipart alternative = new MimeMultipart("alternative", text, html);
            message.setContent(alternative);
            message.saveChanges();
            transport.sendMessage(message, message.getAllRecipients());
        }

        public void close() throws Exception {
            transport.close();
        }
    }
}
