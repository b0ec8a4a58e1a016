package org.kernelci.kcidb.logspec.consumer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.kernelci.kcidb.contracts.auth.Tokens;

/**
 * The consumer's own service token for the gateway, derived from the deployment's {@code JWT_SECRET}, so nothing has
 * to be set by hand: a token of origin {@code logspec} that may submit for every origin ({@code origins: ["*"]}, as
 * it submits for every origin it analyses), signed as the gateway's {@code token} command signs
 * ({@link Tokens#issue}). Tokens live an hour and are renewed ten minutes before they expire. An empty secret means
 * the gateway does not authenticate, and no header is sent.
 */
final class ServiceToken {
    static final String ORIGIN = "logspec";
    static final Duration LIFETIME = Duration.ofHours(1);
    private static final Duration RENEW_BEFORE = Duration.ofMinutes(10);

    private final String secret;
    private final Clock clock;
    private String token;
    private Instant expiry = Instant.MIN;

    ServiceToken(String secret, Clock clock) {
        this.secret = secret == null || secret.isEmpty() ? null : secret;
        this.clock = clock;
    }

    /** The {@code Authorization} header value, or empty when authentication is off. */
    synchronized Optional<String> authorization() {
        if (secret == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (token == null || now.plus(RENEW_BEFORE).isAfter(expiry)) {
            expiry = now.plus(LIFETIME);
            token = Tokens.issue(secret, ORIGIN, List.of("*"), now, expiry);
        }
        return Optional.of("Bearer " + token);
    }
}
