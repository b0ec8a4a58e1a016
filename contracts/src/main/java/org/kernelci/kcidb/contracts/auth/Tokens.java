package org.kernelci.kcidb.contracts.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.List;

/**
 * Issues tokens in the shape the original tooling made and the gateway verifies: HS256, claims {@code origin},
 * {@code gendate}, {@code iat} and {@code exp}, plus {@code origins} for service tokens (those that may submit for
 * other origins, {@code "*"} for any).
 */
public final class Tokens {
    private Tokens() {
    }

    public static String issue(String secret, String origin, List<String> origins, Instant now, Instant expiry) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .claim("origin", origin)
                .claim("gendate", DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(now.atOffset(ZoneOffset.UTC).withNano(0)))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(expiry));
        if (!origins.isEmpty()) {
            claims.claim("origins", List.copyOf(origins));
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(),
                claims.build());
        try {
            jwt.sign(new Hs256(secret).signer());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign token: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }
}
