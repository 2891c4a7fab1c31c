package io.incidentcomms.statuspage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** A page is rendered once per public state and variant, however many readers ask for it. */
class RenderedPagesTest {

    final RenderedPages pages = new RenderedPages();
    final AtomicInteger renders = new AtomicInteger();

    String render(String text) {
        renders.incrementAndGet();
        return text;
    }

    @Test
    void readersOfTheSameStateAndVariantShareOneRendering() {
        assertEquals("v1 en", pages.get("v1", "en", () -> render("v1 en")));
        assertEquals("v1 en", pages.get("v1", "en", () -> render("again")));
        assertEquals("v1 de", pages.get("v1", "de", () -> render("v1 de")));
        assertEquals(2, renders.get());
    }

    @Test
    void aNewStateIsRenderedAfreshAndTheOldPagesAreForgotten() {
        pages.get("v1", "en", () -> render("old"));
        assertEquals("new", pages.get("v2", "en", () -> render("new")));
        assertEquals("newer", pages.get("v1", "en", () -> render("newer")), "a page of a state no longer current is not kept");
        assertEquals(3, renders.get());
    }
}
