package io.incidentcomms.audit;

/** Who did something: an API key's name, a webhook source, the bus, or the service itself. */
public record Actor(String name) {

    public static final Actor SYSTEM = new Actor("system");

    public static Actor apiKey(String keyName) {
        return new Actor("key:" + keyName);
    }

    public static Actor source(String source) {
        return new Actor("source:" + source);
    }

    @Override
    public String toString() {
        return name;
    }
}
