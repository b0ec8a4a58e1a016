package org.kernelci.kcidb.logspec.consumer;

import java.net.UnknownHostException;

/**
 * A log URL the operator's policy does not let the fetcher read. {@code rule} is the metric label; the message names the
 * rule and the URL's host or path, never an address the host resolved to.
 *
 * <p>It extends {@link UnknownHostException} only because that is the one checked exception a DNS resolver of the HTTP
 * client may throw: the refusal happens there, between resolving a name and connecting to an address.
 */
final class UrlRefusedException extends UnknownHostException {
    private final String rule;

    UrlRefusedException(String rule, String message) {
        super(message + " (rule " + rule + ")");
        this.rule = rule;
    }

    String rule() {
        return rule;
    }
}
