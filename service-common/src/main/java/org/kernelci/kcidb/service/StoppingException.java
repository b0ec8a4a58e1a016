package org.kernelci.kcidb.service;

/**
 * The service is stopping: the wait that throws it ends at once, and the operation in progress is abandoned, its
 * input left for redelivery (or the next start). Thrown by the waits that stop interrupts ({@link Lifecycle#pause},
 * the consumer loop's {@link Batch#pause}); never retried, never logged as a failure.
 */
public final class StoppingException extends RuntimeException {
    public StoppingException(String what) {
        super(what + " is stopping", null, false, false);
    }
}
