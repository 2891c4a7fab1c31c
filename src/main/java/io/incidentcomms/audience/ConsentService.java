package io.incidentcomms.audience;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.jboss.logging.Logger;

import io.incidentcomms.audit.Actor;
import io.incidentcomms.audit.AuditLog;
import io.incidentcomms.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** Opt-outs, mutes and scope drops: what recipients (or ops for them) say about being told. */
@ApplicationScoped
public class ConsentService {

    private static final Logger LOG = Logger.getLogger(ConsentService.class);

    public enum OptOutVia {
        STOP_REPLY, UNSUBSCRIBE_LINK, API,
        /** The recipient marked our email as spam, as their provider told us. */
        COMPLAINT
    }

    private final Clock clock;
    private final EntityManager em;
    private final AuditLog audit;

    ConsentService(Clock clock, EntityManager em, AuditLog audit) {
        this.clock = clock;
        this.em = em;
        this.audit = audit;
    }

    @Transactional
    public void optOut(String externalRef, Channel channel, OptOutVia via, Actor actor) {
        Subscriber subscriber = Subscriber.findByRef(externalRef)
                .orElseThrow(() -> ProblemException.notFound("Subscriber " + externalRef));
        ContactPoint contactPoint = ContactPoint.<ContactPoint>find("subscriberId = ?1 and channel = ?2", subscriber.id, channel)
                .firstResultOptional()
                .orElseThrow(() -> ProblemException.notFound("The " + channel.wire() + " contact point of " + externalRef));
        optOut(contactPoint, via);
        audit.record(actor, "contact-point.opt-out", "subscriber:" + subscriber.id, channel.wire());
    }

    /**
     * Opts the contact point out, and its address: the suppression list (a hash of the normalised
     * address) keeps it out whichever row holds that address later, erasures and imports included.
     */
    @Transactional
    public void optOut(ContactPoint contactPoint, OptOutVia via) {
        if (contactPoint.optedOutAt == null) {
            contactPoint.optedOutAt = clock.instant();
            contactPoint.optedOutVia = via.name();
            contactPoint.updatedAt = contactPoint.optedOutAt;
            LOG.infof("Opted out %s (%s)", Masking.address(contactPoint.channel, contactPoint.address), via);
        }
        if (contactPoint.address != null) {
            em.createNativeQuery("""
                    insert into suppression (address_hash, channel, via, created_at)
                    select address_hash, channel, ?2, ?3 from contact_point where id = ?1 and address_hash is not null
                    on conflict (address_hash) do nothing""")
                    .setParameter(1, contactPoint.id).setParameter(2, via.name())
                    .setParameter(3, java.sql.Timestamp.from(clock.instant())).executeUpdate();
        }
    }

    /** The address may hear from us again (a START reply, an undone opt-out). */
    private void unsuppress(ContactPoint contactPoint) {
        em.flush();
        em.createNativeQuery("""
                delete from suppression where address_hash = (select address_hash from contact_point where id = ?1)""")
                .setParameter(1, contactPoint.id).executeUpdate();
    }

    /** Takes back an opt-out by link made within {@code window}; false when it is older or was not by link. */
    @Transactional
    public boolean undoOptOut(ContactPoint contactPoint, java.time.Duration window) {
        if (contactPoint.optedOutAt == null) {
            return true;
        }
        if (!OptOutVia.UNSUBSCRIBE_LINK.name().equals(contactPoint.optedOutVia)
                || contactPoint.optedOutAt.plus(window).isBefore(clock.instant())) {
            return false;
        }
        contactPoint.optedOutAt = null;
        contactPoint.optedOutVia = null;
        contactPoint.updatedAt = clock.instant();
        unsuppress(contactPoint);
        LOG.infof("Opt-out undone for %s", Masking.address(contactPoint.channel, contactPoint.address));
        return true;
    }

    /** A STOP reply: every SMS contact point with that number is opted out, across subscribers. */
    @Transactional
    public void optOutByReply(String phone) {
        smsContactPoints(phone).forEach(point -> optOut(point, OptOutVia.STOP_REPLY));
    }

    /** A START reply: numbers that had consented and replied STOP are reachable again. */
    @Transactional
    public void optInByReply(String phone) {
        for (ContactPoint point : smsContactPoints(phone)) {
            if (point.consentAt == null) {
                continue;
            }
            if (point.optedOutAt != null) {
                point.optedOutAt = null;
                point.optedOutVia = null;
                point.updatedAt = clock.instant();
                LOG.infof("Opted back in %s (START reply)", Masking.address(point.channel, point.address));
            }
            unsuppress(point);
        }
    }

    /** The locales of the subscribers with this number, to answer them in their language. */
    @Transactional
    public java.util.List<String> localesOfNumber(String phone) {
        return smsContactPoints(phone).stream().map(point -> Subscriber.<Subscriber>findById(point.subscriberId))
                .filter(subscriber -> subscriber != null && subscriber.locale != null).map(subscriber -> subscriber.locale)
                .toList();
    }

    private static java.util.List<ContactPoint> smsContactPoints(String phone) {
        // the channel as a literal, so that every plan can use the partial index on SMS addresses
        return ContactPoint.list("channel = io.incidentcomms.audience.Channel.SMS and address = ?1", phone);
    }

    /** The provider said this address will never work (SMTP 5xx): skip it from now on. */
    @Transactional
    public void markBounced(long contactPointId) {
        ContactPoint contactPoint = ContactPoint.findById(contactPointId);
        if (contactPoint != null && contactPoint.bouncedAt == null) {
            contactPoint.bouncedAt = clock.instant();
            contactPoint.updatedAt = contactPoint.bouncedAt;
            LOG.infof("Bounced %s", Masking.address(contactPoint.channel, contactPoint.address));
        }
    }

    /**
     * The recipient marked our email as spam: every email contact point with the address is opted
     * out at once, and the address is suppressed even if no subscriber has it (any more).
     */
    @Transactional
    public int optOutByComplaint(String email) {
        List<ContactPoint> points = emailContactPoints(email);
        points.forEach(point -> optOut(point, OptOutVia.COMPLAINT));
        em.createNativeQuery("""
                insert into suppression (address_hash, channel, via, created_at)
                values (contact_address_hash('EMAIL', ?1), 'EMAIL', 'COMPLAINT', ?2) on conflict (address_hash) do nothing""")
                .setParameter(1, normalisedEmail(email)).setParameter(2, java.sql.Timestamp.from(clock.instant()))
                .executeUpdate();
        return points.size();
    }

    /** The address will never take mail: every email contact point with it is marked bounced. */
    @Transactional
    public int markEmailBounced(String email) {
        List<ContactPoint> points = emailContactPoints(email);
        points.forEach(point -> markBounced(point.id));
        return points.size();
    }

    /**
     * It did not take this message: counted, and after {@code limit} in a row without a delivery
     * in between the address counts as bounced.
     */
    @Transactional
    public int softBounced(String email, int limit) {
        int bounced = 0;
        for (ContactPoint point : emailContactPoints(email)) {
            point.softBounces++;
            point.updatedAt = clock.instant();
            if (point.softBounces >= limit && point.bouncedAt == null) {
                LOG.infof("%d soft bounces in a row for %s", point.softBounces, Masking.address(point.channel, point.address));
                markBounced(point.id);
                bounced++;
            }
        }
        return bounced;
    }

    /** The address took a message: its run of soft bounces is over. */
    @Transactional
    public void emailDelivered(String email) {
        emailContactPoints(email).forEach(point -> point.softBounces = 0);
    }

    @SuppressWarnings("unchecked")
    private List<ContactPoint> emailContactPoints(String email) {
        return em.createNativeQuery("select * from contact_point where address_hash = contact_address_hash('EMAIL', ?1)",
                ContactPoint.class).setParameter(1, normalisedEmail(email)).getResultList();
    }

    /** As addresses are stored: email addresses in lower case. */
    private static String normalisedEmail(String email) {
        return email.strip().toLowerCase(java.util.Locale.ROOT);
    }

    /** The carrier says the recipient opted out (Twilio 21610): respect it. */
    @Transactional
    public void markOptedOutByCarrier(long contactPointId) {
        ContactPoint contactPoint = ContactPoint.findById(contactPointId);
        if (contactPoint != null) {
            optOut(contactPoint, OptOutVia.STOP_REPLY);
        }
    }

    @Transactional
    public void mute(long subscriberId, long incidentId) {
        Instant now = clock.instant();
        em.createNativeQuery("""
                insert into incident_mute (subscriber_id, incident_id, muted_at) values (?1, ?2, ?3)
                on conflict do nothing""")
                .setParameter(1, subscriberId).setParameter(2, incidentId)
                .setParameter(3, java.sql.Timestamp.from(now)).executeUpdate();
    }

    @Transactional
    public void dropScope(long subscriberId, String scope) {
        em.createNativeQuery("update subscriber set scopes = array_remove(scopes, cast(?2 as varchar)) where id = ?1")
                .setParameter(1, subscriberId).setParameter(2, scope).executeUpdate();
    }
}
