package io.incidentcomms.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

/**
 * Slack's and Teams' incoming webhooks on one local port: every message posted is kept with the
 * path it was posted to; while "down" it answers 503 as a chat service having an outage does.
 */
public final class ChatWebhookStub implements AutoCloseable {

    public record Posted(String path, String body) {
    }

    private final HttpServer server;
    private final List<Posted> posted = new CopyOnWriteArrayList<>();
    private volatile boolean down;
    private volatile int refused;

    public ChatWebhookStub(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (down) {
                refused++;
                exchange.sendResponseHeaders(503, -1);
            } else {
                posted.add(new Posted(exchange.getRequestURI().getPath(), new String(body, StandardCharsets.UTF_8)));
                byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, ok.length);
                exchange.getResponseBody().write(ok);
            }
            exchange.close();
        });
        server.start();
    }

    public void down(boolean down) {
        this.down = down;
    }

    /** Posts answered 503 while down. */
    public int refused() {
        return refused;
    }

    /** What was posted to a path that mentions {@code text}. */
    public List<Posted> to(String pathPart, String text) {
        return posted.stream().filter(p -> p.path().contains(pathPart) && p.body().contains(text)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
