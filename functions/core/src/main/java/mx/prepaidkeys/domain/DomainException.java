package mx.prepaidkeys.domain;

/**
 * Carries a {@link DomainError} to the edge. These are expected outcomes, not faults: no stack
 * trace is captured (cheap to throw, and nothing to leak).
 */
public final class DomainException extends RuntimeException {
    private final transient DomainError error;

    public DomainException(DomainError error) {
        super(error.getClass().getSimpleName(), null, false, false);
        this.error = error;
    }

    public DomainError error() {
        return error;
    }
}
