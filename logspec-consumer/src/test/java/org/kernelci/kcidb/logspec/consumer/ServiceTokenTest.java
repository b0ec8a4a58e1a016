package org.kernelci.kcidb.logspec.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.kernelci.kcidb.testsupport.TestClock;

class ServiceTokenTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aServiceTokenForEveryOriginSignedWithTheSecret() throws Exception {
        String secret = "a-secret-of-at-least-thirty-two-bytes!";
        String header = new ServiceToken(secret, Clock.fixed(NOW, ZoneOffset.UTC)).authorization().orElseThrow();
        SignedJWT jwt = SignedJWT.parse(header.substring("Bearer ".length()));
        assertThat(jwt.verify(new MACVerifier(secret.getBytes(StandardCharsets.UTF_8)))).isTrue();
        assertThat(jwt.getJWTClaimsSet().getClaim("origin")).isEqualTo("logspec");
        assertThat(jwt.getJWTClaimsSet().getStringListClaim("origins")).isEqualTo(List.of("*"));
        assertThat(jwt.getJWTClaimsSet().getExpirationTime().toInstant()).isEqualTo(NOW.plus(ServiceToken.LIFETIME));
    }

    @Test
    void shortSecretsSignWithPlainHmac() throws Exception {
        String header = new ServiceToken("short", Clock.fixed(NOW, ZoneOffset.UTC)).authorization().orElseThrow();
        String[] parts = header.substring("Bearer ".length()).split("\\.");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("short".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = Base64.getUrlEncoder().withoutPadding().encodeToString(
                mac.doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII)));
        assertThat(parts[2]).isEqualTo(expected);
    }

    @Test
    void noSecretNoHeaderAndTokensAreRenewedBeforeExpiry() {
        assertThat(new ServiceToken("", Clock.systemUTC()).authorization()).isEmpty();
        TestClock clock = new TestClock(NOW);
        ServiceToken token = new ServiceToken("short", clock);
        String first = token.authorization().orElseThrow();
        clock.set(NOW.plusSeconds(60));
        assertThat(token.authorization()).contains(first);
        clock.set(NOW.plus(ServiceToken.LIFETIME).minusSeconds(60));
        assertThat(token.authorization().orElseThrow()).isNotEqualTo(first);
    }
}
