package io.incidentcomms.audience;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * A request body read as it arrives, for a blocking consumer: the request is paused while a few
 * chunks wait, so memory stays bounded whatever the size of the upload.
 */
final class StreamingRequestBody extends InputStream {

    private static final Object END = new Object();
    private static final int PAUSE_AT = 32;
    private static final int RESUME_AT = 8;
    private static final long IDLE_TIMEOUT_SECONDS = 60;

    private final BlockingQueue<Object> chunks = new LinkedBlockingQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final HttpServerRequest request;
    private final Context context;
    private Buffer current;
    private int position;
    private boolean ended;

    StreamingRequestBody(HttpServerRequest request, Context context) {
        this.request = request;
        this.context = context;
        request.handler(this::offer);
        request.endHandler(v -> chunks.add(END));
        request.exceptionHandler(chunks::add);
    }

    private void offer(Buffer chunk) {
        chunks.add(chunk);
        if (waiting.incrementAndGet() >= PAUSE_AT) {
            request.pause();
        }
    }

    private boolean next() throws IOException {
        while (current == null || position >= current.length()) {
            if (ended) {
                return false;
            }
            Object item;
            try {
                item = chunks.poll(IDLE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while reading the request", e);
            }
            if (item == null) {
                throw new IOException("The client sent nothing for " + IDLE_TIMEOUT_SECONDS + " s");
            }
            if (item == END) {
                ended = true;
                return false;
            }
            if (item instanceof Throwable failure) {
                throw new IOException("The request failed while it was read", failure);
            }
            if (waiting.decrementAndGet() == RESUME_AT) {
                context.runOnContext(v -> request.resume());
            }
            current = (Buffer) item;
            position = 0;
        }
        return true;
    }

    @Override
    public int read() throws IOException {
        return next() ? current.getByte(position++) & 0xff : -1;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (!next()) {
            return -1;
        }
        int count = Math.min(length, current.length() - position);
        current.getBytes(position, position + count, target, offset);
        position += count;
        return count;
    }
}
