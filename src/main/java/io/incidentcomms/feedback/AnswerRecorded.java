package io.incidentcomms.feedback;

/** Fired inside the transaction that recorded a customer's answer. */
public record AnswerRecorded(long incidentId, String incidentKey, int updateSeq, String option, boolean stillAffected) {
}
