package io.incidentcomms.cadence;

import java.util.List;
import java.util.Map;

import io.incidentcomms.feedback.AnswerRecorded;
import io.incidentcomms.feedback.FeedbackSummary;
import io.incidentcomms.incident.Incident;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * "Still affected" answers reopen the question: when as many subscribers as configured say the
 * incident still affects them, the owner is nudged (once, as the count reaches the mark).
 */
@ApplicationScoped
public class StillAffectedWatch {

    private final FeedbackSummary feedback;
    private final OwnerNudges nudges;
    private final CadenceConfig config;
    private final TransactionSynchronizationRegistry transactions;

    StillAffectedWatch(FeedbackSummary feedback, OwnerNudges nudges, CadenceConfig config,
            TransactionSynchronizationRegistry transactions) {
        this.feedback = feedback;
        this.nudges = nudges;
        this.config = config;
        this.transactions = transactions;
    }

    void onAnswer(@Observes AnswerRecorded answer) {
        if (!answer.stillAffected()) {
            return;
        }
        long count = feedback.stillAffected(answer.incidentId());
        if (count != config.stillAffectedNudgeAt()) {
            return;
        }
        List<OwnerNudges.Nudge> toSend = nudges.nudge(Incident.findById(answer.incidentId()),
                OwnerNudges.Reason.STILL_AFFECTED, null, Map.of("stillAffected", count));
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    toSend.forEach(nudges::send);
                }
            }
        });
    }
}
