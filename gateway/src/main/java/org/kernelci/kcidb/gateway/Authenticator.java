package org.kernelci.kcidb.gateway;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.kernelci.kcidb.contracts.auth.Hs256;

/**
 * Verifies bearer tokens: HS256 only (no {@code alg: none}, no other algorithms), signed with the primary secret or
 * else the unified one, not expired ({@code exp} required) and not before {@code nbf}, with a string {@code origin}
 * claim (and optionally an {@code origins} list of strings). With no secret configured, authentication is disabled and
 * every request is {@link Caller#ANONYMOUS}.
 */
final class Authenticator {
    /** Clock skew tolerated on exp/nbf, as the Rust jsonwebtoken crate's default. */
    static final Duration LEEWAY = Duration.ofSeconds(60);

    /** Verified tokens, as submitters send the same token with every request; bounded, and cleared when full. */
    static final int CACHE_SIZE = 4096;

    private final List<Hs256> keys;
    private final Clock clock;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    /** A token whose signature and claims were checked; its times are checked again at every use. */
    private record Verified(Caller caller, Instant expiry, Instant notBefore) {
    }

    Authenticator(List<String> secrets, Clock clock) {
        List<Hs256> k = new ArrayList<>();
        for (String s : secrets) {
            if (s != null && !s.isEmpty()) {
                k.add(new Hs256(s));
            }
        }
        this.keys = List.copyOf(k);
        this.clock = clock;
    }

    boolean enabled() {
        return !keys.isEmpty();
    }

    boolean anyWeakKey() {
        return keys.stream().anyMatch(Hs256::isWeak);
    }

    Caller authenticate(Optional<String> authorization) throws AuthenticationException {
        if (!enabled()) {
            return Caller.ANONYMOUS;
        }
        String header = authorization.orElseThrow(() -> new AuthenticationException("JWT is required"));
        // As the Rust gateway: the token is the second space-separated word, whatever the scheme word is.
        String[] parts = header.split(" ");
        if (parts.length < 2 || parts[1].isEmpty()) {
            throw new AuthenticationException("Missing or invalid JWT (Bearer): expected 'Authorization: Bearer <token>'");
        }
        return verify(parts[1]);
    }

    Caller verify(String token) throws AuthenticationException {
        Verified known = verified.get(token);
        if (known != null) {
            Instant now = clock.instant();
            if (known.expiry().plus(LEEWAY).isBefore(now)) {
                throw new AuthenticationException("JWT expired at " + known.expiry());
            }
            if (known.notBefore() != null && known.notBefore().minus(LEEWAY).isAfter(now)) {
                throw new AuthenticationException("JWT is not valid before " + known.notBefore());
            }
            return known.caller();
        }
        Caller caller = verifyUncached(token);
        if (verified.size() >= CACHE_SIZE) {
            verified.clear();
        }
        return caller;
    }

    private Caller verifyUncached(String token) throws AuthenticationException {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException e) {
            throw new AuthenticationException("Malformed JWT: " + e.getMessage());
        }
        if (!(jwt instanceof SignedJWT signed)) {
            throw new AuthenticationException("Unsigned JWT (alg none) is not accepted: tokens must be HS256");
        }
        JWSAlgorithm alg = signed.getHeader().getAlgorithm();
        if (!JWSAlgorithm.HS256.equals(alg)) {
            throw new AuthenticationException("Unsupported JWT algorithm " + alg + ": tokens must be HS256");
        }
        if (!verifiesWithAnyKey(signed)) {
            throw new AuthenticationException("Invalid JWT signature");
        }
        JWTClaimsSet claims;
        try {
            claims = signed.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new AuthenticationException("Malformed JWT claims: " + e.getMessage());
        }
        checkTimes(claims);
        Caller caller = new Caller(Optional.of(origin(claims)), origins(claims));
        Date nbf = claims.getNotBeforeTime();
        verified.put(token, new Verified(caller, claims.getExpirationTime().toInstant(), nbf == null ? null : nbf.toInstant()));
        return caller;
    }

    private boolean verifiesWithAnyKey(SignedJWT signed) {
        for (Hs256 key : keys) {
            try {
                if (signed.verify(key.verifier())) {
                    return true;
                }
            } catch (JOSEException | IllegalStateException e) {
                // try the next key; a token that no key verifies is refused below
            }
        }
        return false;
    }

    private void checkTimes(JWTClaimsSet claims) throws AuthenticationException {
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw new AuthenticationException("JWT has no exp (expiry) claim");
        }
        if (exp.toInstant().plus(LEEWAY).isBefore(now)) {
            throw new AuthenticationException("JWT expired at " + exp.toInstant());
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().minus(LEEWAY).isAfter(now)) {
            throw new AuthenticationException("JWT is not valid before " + nbf.toInstant());
        }
    }

    private static String origin(JWTClaimsSet claims) throws AuthenticationException {
        Object origin = claims.getClaim("origin");
        if (origin == null) {
            throw new AuthenticationException("JWT has no origin claim");
        }
        if (!(origin instanceof String s) || s.isEmpty()) {
            throw new AuthenticationException("JWT origin claim must be a non-empty string");
        }
        return s;
    }

    private static List<String> origins(JWTClaimsSet claims) throws AuthenticationException {
        Object value = claims.getClaim("origins");
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new AuthenticationException("JWT origins claim must be a list of strings");
        }
        List<String> origins = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof String s) || s.isEmpty()) {
                throw new AuthenticationException("JWT origins claim must be a list of non-empty strings");
            }
            origins.add(s);
        }
        return origins;
    }
}
