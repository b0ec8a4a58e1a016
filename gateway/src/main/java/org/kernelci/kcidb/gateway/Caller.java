package org.kernelci.kcidb.gateway;

import java.util.List;
import java.util.Optional;

/**
 * Who is submitting, from the token: the {@code origin} claim and, for service tokens, an {@code origins} list
 * ({@code *} = any origin). {@link #ANONYMOUS} when authentication is disabled.
 */
record Caller(Optional<String> origin, List<String> origins) {
    static final Caller ANONYMOUS = new Caller(Optional.empty(), List.of("*"));

    Caller {
        origins = List.copyOf(origins);
    }

    /** Whether this caller may submit objects of any origin (authentication off, or a {@code *} token). */
    boolean mayWriteAny() {
        return origins.contains("*") || origin.map("*"::equals).orElse(false);
    }

    /** Whether this caller may submit objects of {@code objectOrigin}. */
    boolean mayWrite(String objectOrigin) {
        return origins.contains("*") || origins.contains(objectOrigin)
                || origin.map(o -> o.equals("*") || o.equals(objectOrigin)).orElse(false);
    }
}
