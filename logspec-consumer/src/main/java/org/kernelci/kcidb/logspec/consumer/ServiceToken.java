package org.kernelci.kcidb.logspec.consumer;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The consumer's own service token for the gateway, derived from the deployment's {@code JWT_SECRET}, so nothing has
 * to be set by hand: HS256, claims {@code origin}, {@code origins: ["*"]} (it submits for every origin it analyses),
 * {@code iat} and {@code exp}. Tokens live an hour and are renewed ten minutes before they expire. An empty secret
 * means the gateway does not authenticate, and no header is sent.
 *
 * <p>Nimbus refuses HMAC keys under 256 bits; deployments of the Rust gateway hold shorter secrets, which the
 * gateway accepts. For those keys only the MAC is computed with the JCA (same algorithm, no key-length policy).
 */
final class ServiceToken {
    static final String ORIGIN = "logspec";
    static final Duration LIFETIME = Duration.ofHours(1);
    private static final Duration RENEW_BEFORE = Duration.ofMinutes(10);

    private final JWSSigner signer;
    private final Clock clock;
    private String token;
    private Instant expiry = Instant.MIN;

    ServiceToken(String secret, Clock clock) {
        this.clock = clock;
        if (secret == null || secret.isEmpty()) {
            this.signer = null;
            return;
        }
        byte[] key = secret.getBytes(StandardCharsets.UTF_8);
        try {
            this.signer = key.length < 32 ? new ShortKeySigner(key) : new MACSigner(key);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable JWT secret: " + e.getMessage(), e);
        }
    }

    /** The {@code Authorization} header value, or empty when authentication is off. */
    synchronized Optional<String> authorization() {
        if (signer == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (token == null || now.plus(RENEW_BEFORE).isAfter(expiry)) {
            expiry = now.plus(LIFETIME);
            JWTClaimsSet claims = new JWTClaimsSet.Builder()
                    .claim("origin", ORIGIN)
                    .claim("origins", List.of("*"))
                    .issueTime(Date.from(now))
                    .expirationTime(Date.from(expiry))
                    .build();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
            try {
                jwt.sign(signer);
            } catch (JOSEException e) {
                throw new IllegalStateException("cannot sign the service token: " + e.getMessage(), e);
            }
            token = jwt.serialize();
        }
        return Optional.of("Bearer " + token);
    }

    /** HMAC-SHA256 through the JCA, for secrets Nimbus considers too short. */
    private static final class ShortKeySigner implements JWSSigner {
        private final SecretKeySpec key;
        private final JCAContext jca = new JCAContext();

        ShortKeySigner(byte[] key) {
            this.key = new SecretKeySpec(key, "HmacSHA256");
        }

        @Override
        public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
            if (!JWSAlgorithm.HS256.equals(header.getAlgorithm())) {
                throw new JOSEException("only HS256 is supported, not " + header.getAlgorithm());
            }
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return Base64URL.encode(mac.doFinal(signingInput));
            } catch (GeneralSecurityException e) {
                throw new JOSEException("HMAC-SHA256 failed: " + e.getMessage(), e);
            }
        }

        @Override
        public Set<JWSAlgorithm> supportedJWSAlgorithms() {
            return Set.of(JWSAlgorithm.HS256);
        }

        @Override
        public JCAContext getJCAContext() {
            return jca;
        }
    }
}
