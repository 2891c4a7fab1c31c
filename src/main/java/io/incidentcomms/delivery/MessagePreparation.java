package io.incidentcomms.delivery;

import java.net.URI;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import io.incidentcomms.audience.Channel;
import io.incidentcomms.audience.SelfServiceTokens;
import io.incidentcomms.incident.IncidentConfig;
import io.incidentcomms.incident.IncidentQueries;
import io.incidentcomms.message.MessageConfig;
import io.incidentcomms.message.MessageRenderer;
import io.incidentcomms.message.MessageTemplates;
import io.incidentcomms.message.SmsText;
import io.incidentcomms.platform.Hashes;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * Makes what goes out for a claimed notification, at send time, from the template set pinned to
 * its update. Recipients who share update, locale, time zone, channel, first-SMS footer, promise
 * and whether they have a goodwill code share one rendering (made once per batch and stored once
 * as a {@code message_variant}); what is theirs alone — the link token, the SMS short link, the
 * goodwill code — is put in afterwards.
 */
@ApplicationScoped
class MessagePreparation {

    private static final Logger LOG = Logger.getLogger(MessagePreparation.class);

    /** Stands for the recipient's self-service token in a message rendered once for many recipients. */
    private static final String TOKEN_SLOT = "tkn7f3a9c1e0d";

    /** What goes out for one claimed notification; an SMS with {@code needsLink} gets its short link put in. */
    record Prepared(String sms, int segments, EmailSender.Email email, long variantId, boolean needsLink) {

        Prepared withShortLink(String id) {
            String text = sms.replace(ShortLinks.SLOT, id);
            return new Prepared(text, SmsText.segments(text), null, variantId, false);
        }

        /** What the message costs the sender's rate: SMS segments, or one email. */
        int cost() {
            return email == null ? segments : 1;
        }
    }

    /** Per batch, or per second of batches: each update's message source and each shared rendering, read and made once. */
    static final class RenderCache {
        private final long madeAt = System.nanoTime();
        private final Map<Long, IncidentQueries.MessageSource> sources = new ConcurrentHashMap<>();
        private final Map<String, Variant> variants = new ConcurrentHashMap<>();
        private final Map<Long, String> goodwillSlots = new ConcurrentHashMap<>();

        boolean olderThan(java.time.Duration age) {
            return System.nanoTime() - madeAt > age.toNanos();
        }

        /** Stands for a goodwill code in a shared rendering: as long as the pool's longest code. */
        String goodwillSlot(long incidentId, GoodwillCodes codes) {
            return goodwillSlots.computeIfAbsent(incidentId,
                    id -> "GWc0dE" + "x".repeat(Math.max(0, codes.longest(id) - 6)));
        }
    }

    /** One rendering shared by recipients alike in update, locale, zone, channel and footer, and its stored id. */
    private record Variant(MessageRenderer.Rendered rendered, long id) {
    }

    private final EntityManager em;
    private final Clock clock;
    private final IncidentQueries incidents;
    private final MessageTemplates templates;
    private final MessageRenderer renderer;
    private final MessageConfig messages;
    private final SelfServiceTokens tokens;
    private final IncidentConfig incidentConfig;
    private final ShortLinks shortLinks;
    private final GoodwillCodes goodwill;

    MessagePreparation(EntityManager em, Clock clock, IncidentQueries incidents, MessageTemplates templates,
            MessageRenderer renderer, MessageConfig messages, SelfServiceTokens tokens, IncidentConfig incidentConfig,
            ShortLinks shortLinks, GoodwillCodes goodwill) {
        this.em = em;
        this.clock = clock;
        this.incidents = incidents;
        this.templates = templates;
        this.renderer = renderer;
        this.messages = messages;
        this.tokens = tokens;
        this.incidentConfig = incidentConfig;
        this.shortLinks = shortLinks;
        this.goodwill = goodwill;
    }

    Prepared prepare(Claimed claimed, RenderCache cache) {
        IncidentQueries.MessageSource source = cache.sources.computeIfAbsent(claimed.updateId(),
                incidents::messageSourceOfUpdate);
        MessageRenderer.Channel channel = claimed.channel() == Channel.SMS ? MessageRenderer.Channel.SMS
                : MessageRenderer.Channel.EMAIL;
        boolean firstSms = channel == MessageRenderer.Channel.SMS && !claimed.toldBefore();
        String locale = claimed.locale() == null ? messages.locales().get(0) : claimed.locale();
        String zone = claimed.timeZone() == null ? "UTC" : claimed.timeZone();
        Instant promise = QuietHours.promiseFor(source.nextUpdateBy(), source.severity(), ZoneId.of(zone),
                claimed.quietStart(), claimed.quietEnd(), incidentConfig.promiseMargin());
        boolean withCode = claimed.goodwillCode() != null && source.content().hasGoodwill();
        String codeSlot = withCode ? cache.goodwillSlot(claimed.incidentId(), goodwill) : null;
        Variant variant = cache.variants.computeIfAbsent(claimed.updateId() + "|" + locale + "|" + zone + "|" + channel
                + "|" + firstSms + "|" + promise + "|" + withCode, k -> {
                    MessageRenderer.Rendered made = renderer.render(templates.version(source.templateVersion()),
                            source.content().withNextUpdateBy(promise), new MessageRenderer.Recipient(locale,
                                    ZoneId.of(zone), channel, firstSms, TOKEN_SLOT, ShortLinks.SLOT, codeSlot));
                    return new Variant(made, variantId(claimed, channel, made, codeSlot));
                });
        MessageRenderer.Rendered rendered = variant.rendered();
        if (channel == MessageRenderer.Channel.SMS) {
            String text = withCode ? rendered.sms().replace(codeSlot, claimed.goodwillCode()) : rendered.sms();
            return new Prepared(text, SmsText.segments(text), null, variant.id(), rendered.smsLink());
        }
        String token = tokenFor(claimed);
        String base = messages.publicBaseUrl();
        String host = URI.create(base).getHost();
        return new Prepared(null, 0, new EmailSender.Email(claimed.id(), claimed.address(), rendered.subject(),
                personal(rendered.html(), token, codeSlot, claimed.goodwillCode()),
                personal(rendered.text(), token, codeSlot, claimed.goodwillCode()),
                EmailSender.messageId(claimed.id(), claimed.attemptId(), host),
                base + "/self-service/unsubscribe?token=" + (token == null ? "" : token)), variant.id(), false);
    }

    /**
     * Puts each SMS's own short link in, made for the whole batch at once. Returns the indexes of
     * the messages that need one and did not get it; the caller hands those back.
     */
    List<Integer> withShortLinks(List<Claimed> claims, List<Prepared> prepared) {
        List<ShortLinks.Owner> owners = new ArrayList<>();
        for (int i = 0; i < claims.size(); i++) {
            if (prepared.get(i).needsLink()) {
                owners.add(new ShortLinks.Owner(claims.get(i).id(), claims.get(i).subscriberId()));
            }
        }
        Map<Long, String> ids;
        try {
            ids = owners.isEmpty() ? Map.of() : shortLinks.idsFor(owners);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Short links for %d SMS could not be made; they are planned again", owners.size());
            ids = Map.of();
        }
        List<Integer> without = new ArrayList<>();
        for (int i = 0; i < claims.size(); i++) {
            if (prepared.get(i).needsLink()) {
                String id = ids.get(claims.get(i).id());
                if (id == null) {
                    without.add(i);
                } else {
                    prepared.set(i, prepared.get(i).withShortLink(id));
                }
            }
        }
        return without;
    }

    /** The SMS as it was sent, rendered again (with the short link it was given), to look it up at Twilio by. */
    String smsAsSent(Claimed claimed, RenderCache cache) {
        Prepared prepared = prepare(claimed, cache);
        if (!prepared.needsLink()) {
            return prepared.sms();
        }
        return prepared.withShortLink(shortLinks.idsFor(List.of(new ShortLinks.Owner(claimed.id(), claimed.subscriberId())))
                .get(claimed.id())).sms();
    }

    /** The stored variant of a rendering (what the delivery log shows, without anyone's link or code), written once. */
    private long variantId(Claimed claimed, MessageRenderer.Channel channel, MessageRenderer.Rendered rendered,
            String codeSlot) {
        String body = channel == MessageRenderer.Channel.SMS
                ? rendered.sms().replace(ShortLinks.SLOT, DeliveryLog.LINK_PLACEHOLDER)
                : rendered.text().replace(TOKEN_SLOT, DeliveryLog.TOKEN_PLACEHOLDER);
        String stored = codeSlot == null ? body : body.replace(codeSlot, DeliveryLog.GOODWILL_PLACEHOLDER);
        String subject = rendered.subject();
        String hash = Hashes.sha256Hex(String.valueOf(claimed.updateId()), channel.name(),
                String.valueOf(subject), stored);
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery("""
                insert into message_variant (incident_update_id, content_hash, channel, subject, body, created_at)
                values (?1, ?2, ?3, ?4, ?5, ?6)
                on conflict (content_hash) do update set content_hash = excluded.content_hash
                returning id""")
                .setParameter(1, claimed.updateId()).setParameter(2, hash).setParameter(3, claimed.channel().name())
                .setParameter(4, subject).setParameter(5, stored).setParameter(6, Timestamp.from(clock.instant()))
                .getSingleResult()).longValue());
    }

    /** A shared rendering made the recipient's own: their link token and goodwill code put in. */
    private static String personal(String rendered, String token, String codeSlot, String code) {
        if (rendered == null) {
            return null;
        }
        String text = rendered.replace(TOKEN_SLOT, token == null ? "preview" : token);
        return codeSlot == null ? text : text.replace(codeSlot, code);
    }

    private String tokenFor(Claimed claimed) {
        try {
            return tokens.issue(claimed.contactPointId(), claimed.address(), claimed.incidentId());
        } catch (RuntimeException notConfigured) {
            return null;
        }
    }
}
