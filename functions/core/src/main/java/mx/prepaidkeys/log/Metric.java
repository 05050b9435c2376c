package mx.prepaidkeys.log;

import software.amazon.cloudwatchlogs.emf.model.Unit;

/**
 * Every metric the functions emit (in CloudWatch's embedded metric format, {@link Metrics}): what
 * ops watch before a distributor calls. template.yaml's alarms and dashboard name them, and the
 * template contract test holds every alarm on {@link Metrics#NAMESPACE} to this list.
 */
public enum Metric {
    /** A key confirmed into a distributor's account (ISSUED to AVAILABLE); a repeated confirm is not one. */
    ACTIVATIONS("Activations", Unit.COUNT),
    /** A key given to a client (AVAILABLE to USED). */
    ASSIGNMENTS("Assignments", Unit.COUNT),
    /** A capture or confirm of a key that is unknown, void, expired or another distributor's: a guess, or a typo the check character missed. */
    FAILED_ATTEMPTS("FailedAttempts", Unit.COUNT),
    /** A capture or confirm refused with 429 TOO_MANY_ATTEMPTS: its user or distributor is locked. */
    LOCKOUTS("Lockouts", Unit.COUNT),
    /** A confirmation email SES accepted. */
    EMAILS_SENT("EmailsSent", Unit.COUNT),
    /** A confirmation email SES refused, given back for another attempt. */
    EMAILS_RETRIED("EmailsRetried", Unit.COUNT),
    /** A confirmation email given up on after its last attempt: FAILED, and on the dead-letter queue. */
    EMAILS_FAILED("EmailsFailed", Unit.COUNT),
    /**
     * How long an owed email waited in the table's stream: the notifier's clock minus the record's
     * ApproximateCreationDateTime, which DynamoDB rounds down to the second.
     */
    STREAM_LAG("StreamLag", Unit.MILLISECONDS),
    /** An API request's time in its function, from the event to the answer: one function per route, so per route. */
    LATENCY("Latency", Unit.MILLISECONDS);

    private final String metricName;
    private final Unit unit;

    Metric(String metricName, Unit unit) {
        this.metricName = metricName;
        this.unit = unit;
    }

    /** The name CloudWatch shows and alarms use. */
    public String metricName() {
        return metricName;
    }

    public Unit unit() {
        return unit;
    }
}
