package org.kernelci.kcidb.contracts.events;

/** A Kafka record that does not follow the event contract: it can never be processed, so it is dead-lettered. */
public final class MalformedEventException extends RuntimeException {
    public MalformedEventException(String message) {
        super(message);
    }

    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
