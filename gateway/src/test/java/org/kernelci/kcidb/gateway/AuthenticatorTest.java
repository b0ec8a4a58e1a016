package org.kernelci.kcidb.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.kernelci.kcidb.contracts.auth.Tokens;

class AuthenticatorTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String SECRET = "a-secret-that-is-long-enough-for-hs256!!";
    private final Authenticator auth = new Authenticator(List.of(SECRET, "unified-secret"), CLOCK);

    private static String token(String secret, String origin) {
        return Tokens.issue(secret, origin, List.of(), NOW, NOW.plus(Duration.ofDays(1)));
    }

    @Test
    void acceptsTokensSignedWithEitherSecretIncludingShortOnes() throws Exception {
        assertThat(auth.authenticate(Optional.of("Bearer " + token(SECRET, "maestro"))).origin()).contains("maestro");
        assertThat(auth.authenticate(Optional.of("Bearer " + token("unified-secret", "redhat"))).origin()).contains("redhat");
    }

    @Test
    void takesTheSecondWordWhateverTheSchemeAsTheRustGatewayDid() throws Exception {
        assertThat(auth.authenticate(Optional.of("bearer " + token(SECRET, "maestro"))).origin()).contains("maestro");
        assertThat(auth.authenticate(Optional.of("JWT " + token(SECRET, "maestro"))).origin()).contains("maestro");
    }

    @Test
    void refusesMissingOrMalformedHeaders() {
        assertThatThrownBy(() -> auth.authenticate(Optional.empty())).hasMessage("JWT is required");
        assertThatThrownBy(() -> auth.authenticate(Optional.of("Token abc"))).hasMessageContaining("Malformed JWT");
        assertThatThrownBy(() -> auth.authenticate(Optional.of("Bearer"))).hasMessageStartingWith("Missing or invalid JWT (Bearer)");
        assertThatThrownBy(() -> auth.authenticate(Optional.of(token(SECRET, "maestro"))))
                .as("a bare token, without a scheme word").hasMessageStartingWith("Missing or invalid JWT (Bearer)");
        assertThatThrownBy(() -> auth.authenticate(Optional.of("Bearer not.a.jwt"))).hasMessageContaining("Malformed JWT");
    }

    @Test
    void refusesBadSignaturesAlgNoneAndOtherAlgorithms() throws Exception {
        assertThatThrownBy(() -> auth.verify(token("another-secret-of-sufficient-length!!", "maestro")))
                .hasMessage("Invalid JWT signature");
        JWTClaimsSet claims = new JWTClaimsSet.Builder().claim("origin", "maestro")
                .expirationTime(Date.from(NOW.plusSeconds(3600))).build();
        String none = new PlainJWT(new PlainHeader(), claims).serialize();
        assertThatThrownBy(() -> auth.verify(none)).hasMessageContaining("alg none");
        SignedJWT hs512 = new SignedJWT(new JWSHeader(JWSAlgorithm.HS512), claims);
        hs512.sign(new MACSigner(SECRET.repeat(2)));
        assertThatThrownBy(() -> auth.verify(hs512.serialize())).hasMessageContaining("HS512");
    }

    @Test
    void refusesExpiredNotYetValidAndClaimlessTokens() throws Exception {
        String expired = Tokens.issue(SECRET, "maestro", List.of(), NOW.minus(Duration.ofDays(2)), NOW.minus(Duration.ofDays(1)));
        assertThatThrownBy(() -> auth.verify(expired)).hasMessageContaining("expired");
        assertThatThrownBy(() -> auth.verify(signed(new JWTClaimsSet.Builder().claim("origin", "x").build())))
                .hasMessageContaining("no exp");
        assertThatThrownBy(() -> auth.verify(signed(new JWTClaimsSet.Builder().claim("origin", "x")
                .expirationTime(Date.from(NOW.plusSeconds(9000))).notBeforeTime(Date.from(NOW.plusSeconds(3600))).build())))
                .hasMessageContaining("not valid before");
        assertThatThrownBy(() -> auth.verify(signed(new JWTClaimsSet.Builder()
                .expirationTime(Date.from(NOW.plusSeconds(60))).build()))).hasMessage("JWT has no origin claim");
        assertThatThrownBy(() -> auth.verify(signed(new JWTClaimsSet.Builder().claim("origin", 42)
                .expirationTime(Date.from(NOW.plusSeconds(60))).build()))).hasMessageContaining("must be a non-empty string");
    }

    @Test
    void disabledWithoutSecretsAndServiceTokensMayWriteAnyOrigin() throws Exception {
        Authenticator open = new Authenticator(List.of(""), CLOCK);
        assertThat(open.enabled()).isFalse();
        assertThat(open.authenticate(Optional.empty())).isEqualTo(Caller.ANONYMOUS);
        Caller service = auth.verify(Tokens.issue(SECRET, "logspec", List.of("*"), NOW, NOW.plusSeconds(60)));
        assertThat(service.mayWrite("maestro")).isTrue();
        Caller maestro = auth.verify(token(SECRET, "maestro"));
        assertThat(maestro.mayWrite("maestro")).isTrue();
        assertThat(maestro.mayWrite("redhat")).isFalse();
    }

    private static String signed(JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(SECRET));
        return jwt.serialize();
    }

    @Test
    void aVerifiedTokenIsRememberedButStillExpires() throws Exception {
        Instant[] now = {NOW};
        Clock moving = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        Authenticator cached = new Authenticator(List.of(SECRET), moving);
        String t = Tokens.issue(SECRET, "maestro", List.of(), NOW, NOW.plus(Duration.ofHours(1)));
        assertThat(cached.verify(t).origin()).contains("maestro");
        assertThat(cached.verify(t).origin()).as("from the cache").contains("maestro");
        now[0] = NOW.plus(Duration.ofHours(2));
        assertThatThrownBy(() -> cached.verify(t)).hasMessageContaining("JWT expired at");
        String tampered = t.substring(0, t.length() - 2) + (t.endsWith("A") ? "BB" : "AA");
        assertThatThrownBy(() -> cached.verify(tampered)).as("a different string is not a cache hit")
                .hasMessageContaining("Invalid JWT signature");
    }
}
