package io.incidentcomms.audience;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalTime;
import java.util.List;

import io.incidentcomms.audience.SubscriberViews.ContactPointView;
import io.incidentcomms.audience.SubscriberViews.Page;
import io.incidentcomms.audience.SubscriberViews.SubscriberView;
import io.incidentcomms.audit.Actor;
import io.incidentcomms.audit.AuditLog;
import io.incidentcomms.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** Subscribers one at a time: create, update, read, list and erase. */
@ApplicationScoped
public class SubscriberService {

    private final SubscriberStore store;
    private final AudienceConfig config;
    private final EntityManager em;
    private final Clock clock;
    private final AuditLog audit;
    private final Event<SubscriberErased> erased;
    private final TimeZones timeZones;

    SubscriberService(SubscriberStore store, AudienceConfig config, EntityManager em, Clock clock, AuditLog audit,
            Event<SubscriberErased> erased, TimeZones timeZones) {
        this.store = store;
        this.config = config;
        this.em = em;
        this.clock = clock;
        this.audit = audit;
        this.erased = erased;
        this.timeZones = timeZones;
    }

    /** Creates a subscriber; 409 when the external ref exists. */
    @Transactional
    public SubscriberView create(SubscriberInput input) {
        SubscriberRow row = parseOrThrow(input);
        if (Subscriber.findByRef(row.externalRef()).isPresent()) {
            throw ProblemException.conflict("subscriber-exists", "Subscriber " + row.externalRef() + " already exists");
        }
        store.upsert(List.of(row), true);
        return get(row.externalRef());
    }

    /** Creates or updates: given fields replace, absent fields stay. */
    @Transactional
    public SubscriberView upsert(String externalRef, SubscriberInput input) {
        if (input.externalRef() != null && !input.externalRef().equals(externalRef)) {
            throw ProblemException.invalidField("externalRef", "must match the address (" + externalRef + ")");
        }
        store.upsert(List.of(parseOrThrow(input.withExternalRef(externalRef))), true);
        return get(externalRef);
    }

    /** An active subscriber's contact point: theirs to manage through the self-service pages. */
    public record Reachable(long contactPointId, String address, String subscriberRef) {
    }

    /**
     * The contact point of an active subscriber with this address (as a validated row has it:
     * email lower-cased, phone E.164) on this channel, unless it was erased, opted out or bounced.
     */
    @Transactional
    public java.util.Optional<Reachable> reachable(Channel channel, String address) {
        return ContactPoint.<ContactPoint>find("channel = ?1 and address = ?2 and optedOutAt is null and bouncedAt is null",
                channel, address).firstResultOptional()
                .flatMap(cp -> Subscriber.<Subscriber>findByIdOptional(cp.subscriberId)
                        .filter(s -> s.erasedAt == null)
                        .map(s -> new Reachable(cp.id, cp.address, s.externalRef)));
    }

    @Transactional
    public SubscriberView get(String externalRef) {
        Subscriber subscriber = Subscriber.findByRef(externalRef)
                .orElseThrow(() -> ProblemException.notFound("Subscriber " + externalRef));
        return view(subscriber);
    }

    /** Subscribers whose external ref starts with {@code prefix}, by ref. */
    @Transactional
    public java.util.List<SubscriberView> search(String prefix, int limit) {
        String escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return Subscriber.<Subscriber>find("erasedAt is null and externalRef like ?1 order by externalRef", escaped + "%")
                .page(0, limit).list().stream().map(this::view).toList();
    }

    @Transactional
    public Page<SubscriberView> list(int page, int size) {
        var query = Subscriber.<Subscriber>find("erasedAt is null order by id");
        return new Page<>(query.page(page, size).list().stream().map(this::view).toList(), page, size, query.count());
    }

    /**
     * Erases personal data (name, email, phone, message texts) and keeps anonymous counts: the
     * subscriber row remains without its name and ref, contact points without their addresses.
     */
    @Transactional
    public void erase(String externalRef, Actor actor) {
        Subscriber subscriber = Subscriber.findByRef(externalRef)
                .orElseThrow(() -> ProblemException.notFound("Subscriber " + externalRef));
        Timestamp now = Timestamp.from(clock.instant());
        em.createNativeQuery("""
                update contact_point set address = null, consent_source = null, verified = false, updated_at = ?1
                where subscriber_id = ?2""").setParameter(1, now).setParameter(2, subscriber.id).executeUpdate();
        em.createNativeQuery("delete from incident_mute where subscriber_id = ?1").setParameter(1, subscriber.id)
                .executeUpdate();
        erased.fire(new SubscriberErased(subscriber.id));
        em.createNativeQuery("""
                update subscriber set external_ref = 'erased-' || id, name = null, quiet_start = null, quiet_end = null,
                    scopes = '{}',
                    erased_at = ?1, updated_at = ?1 where id = ?2""")
                .setParameter(1, now).setParameter(2, subscriber.id).executeUpdate();
        audit.record(actor, "subscriber.erase", "subscriber:" + subscriber.id, null);
    }

    private SubscriberRow parseOrThrow(SubscriberInput input) {
        SubscriberRow.Parsed parsed = SubscriberRow.parse(1, input, config.defaultPhoneRegion().orElse(null), timeZones::known);
        if (!parsed.valid()) {
            throw new ProblemException(400, "validation-failed", "Bad Request", "The request is not valid: see errors",
                    parsed.errors());
        }
        return parsed.row();
    }

    private SubscriberView view(Subscriber s) {
        List<ContactPointView> contactPoints = ContactPoint.of(s).stream()
                .filter(cp -> cp.address != null)
                .map(cp -> new ContactPointView(cp.channel, cp.address, cp.verified, cp.consentAt, cp.consentSource,
                        cp.optedOutAt, cp.optedOutVia, cp.bouncedAt))
                .toList();
        List<String> subscriptions = s.scopes.stream().sorted().toList();
        return new SubscriberView(s.externalRef, s.name, s.locale, s.timeZone, s.tier, quietHours(s.quietStart, s.quietEnd),
                s.channelPreference.stream().map(Channel::valueOf).toList(), contactPoints, subscriptions, s.createdAt,
                s.updatedAt);
    }

    private static String quietHours(LocalTime start, LocalTime end) {
        return start == null || end == null ? null : start + "-" + end;
    }


}
