package io.incidentcomms.statuspage;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The status page rendered once per public state, language and address, and shared by every
 * reader of it. When the state changes during an outage, the crowd that revalidates at once would
 * otherwise render the same page once each; here the first renders it and the others wait for
 * that page. Only the latest state's pages are kept, and at most {@link #MOST} of them.
 */
@ApplicationScoped
public class RenderedPages {

    static final int MOST = 200;

    private final ConcurrentHashMap<String, String> pages = new ConcurrentHashMap<>();
    private volatile String version = "";

    /** The page for {@code variant} (language and address) of the state {@code version}, rendering it if nobody has. */
    public String get(String version, String variant, Supplier<String> render) {
        if (!version.equals(this.version)) {
            synchronized (this) {
                if (!version.equals(this.version)) {
                    pages.clear();
                    this.version = version;
                }
            }
        }
        if (pages.size() >= MOST) {
            pages.clear();
        }
        return pages.computeIfAbsent(version + " " + variant, key -> render.get());
    }
}
