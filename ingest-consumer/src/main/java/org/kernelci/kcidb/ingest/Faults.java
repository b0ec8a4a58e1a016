package org.kernelci.kcidb.ingest;

import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * Sorts the failures the consumer loop meets, in one place: fatal ones stop the loop (and turn {@code /health} to
 * 503) because no retry can help without an operator; everything else is retried with backoff. Failures that are
 * the submission's own fault never get here: they become {@code failed} results where they happen.
 */
final class Faults {
    private Faults() {
    }

    /** Authentication, authorisation, fencing, configuration, an unsupported broker, or a JVM error. */
    static boolean fatal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AuthenticationException || t instanceof AuthorizationException
                    || t instanceof ProducerFencedException || t instanceof FencedInstanceIdException
                    || t instanceof InvalidConfigurationException || t instanceof UnsupportedVersionException
                    || t instanceof VirtualMachineError || t instanceof LinkageError) {
                return true;
            }
        }
        return false;
    }

    /** Thrown out of the loop for a fatal fault. */
    static final class FatalException extends RuntimeException {
        FatalException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
