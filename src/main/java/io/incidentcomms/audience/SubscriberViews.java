package io.incidentcomms.audience;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

public final class SubscriberViews {

    private SubscriberViews() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SubscriberView(String externalRef, String name, String locale, String timeZone, Tier tier,
            String quietHours, List<Channel> channelPreference, List<ContactPointView> contactPoints,
            List<String> subscriptions, Instant createdAt, Instant updatedAt) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ContactPointView(Channel channel, String address, boolean verified, Instant smsConsentAt,
            String consentSource, Instant optedOutAt, String optedOutVia, Instant bouncedAt) {
    }

    public record ImportReport(long rows, long imported, long rejected, List<RowError> errors,
            boolean errorsTruncated) {
    }

    public record RowError(long row, String field, String message) {
    }

    public record Page<T>(List<T> items, int page, int size, long total) {
    }
}
