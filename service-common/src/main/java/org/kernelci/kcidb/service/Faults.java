package org.kernelci.kcidb.service;

import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * Sorts the failures a service meets, in one place: fatal ones stop it (and turn {@code /health} to 503) because no
 * retry can help without an operator; everything else is retried with backoff. Failures that are a record's own fault
 * (malformed, invalid) never get here: handlers turn them into outcomes where they happen.
 */
public final class Faults {
    private Faults() {
    }

    /** Authentication, authorisation, fencing, configuration, an unsupported broker, or a JVM error, in the causes. */
    public static boolean fatal(Throwable e) {
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
}
