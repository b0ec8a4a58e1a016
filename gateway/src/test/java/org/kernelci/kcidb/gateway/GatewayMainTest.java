package org.kernelci.kcidb.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelci.kcidb.contracts.cli.ServiceLauncher;
import picocli.CommandLine;

class GatewayMainTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Object command, String... args) {
        CommandLine cl = ServiceLauncher.commandLine(command);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void helpNamesEveryRustFlagAndVariable() {
        assertThat(run(new GatewayMain(), "--help")).isZero();
        assertThat(out.toString()).contains("-p, --port", "-b, --host", "-d, --directory", "-j, --jwt-secret",
                "--unified-secret", "JWT_SECRET", "UNIFIED_SECRET", "CERTBOT_DOMAIN", "ACME_WEBROOT", "--validate-on-submit",
                "KAFKA_BOOTSTRAP_SERVERS", "token");
    }

    @Test
    void configurationErrorsAreOneLineAndExit78(@TempDir Path dir) {
        assertThat(run(new GatewayMain(), "-p", "70000", "-d", dir.toString())).isEqualTo(ServiceLauncher.EXIT_CONFIG);
        assertThat(err.toString().strip()).isEqualTo("gateway: configuration error: -p/--port must be between 0 and 65535, not 70000");
        StringWriter e2 = new StringWriter();
        CommandLine cl = ServiceLauncher.commandLine(new GatewayMain());
        cl.setErr(new PrintWriter(e2));
        assertThat(cl.execute("-d", dir.resolve("missing").toString(), "--kafka-bootstrap-servers", "127.0.0.1:1"))
                .isEqualTo(ServiceLauncher.EXIT_CONFIG);
        assertThat(e2.toString().strip()).startsWith("gateway: configuration error: submissions path ")
                .endsWith("does not exist or is not a directory (-d/--directory)").doesNotContain("\n");
    }

    @Test
    void theTokenCommandPrintsATokenTheGatewayAccepts() throws Exception {
        String secret = "token-command-secret-long-enough-for-hs256";
        assertThat(run(new GatewayMain(), "token", "--secret", secret, "--origin", "logspec", "--origins", "maestro,redhat",
                "--expiry-years", "2")).isZero();
        String token = out.toString().strip();
        Caller caller = new Authenticator(List.of(secret), Clock.systemUTC()).authenticate(Optional.of("Bearer " + token));
        assertThat(caller.origin()).contains("logspec");
        assertThat(caller.origins()).containsExactly("maestro", "redhat");
        var claims = com.nimbusds.jwt.SignedJWT.parse(token).getJWTClaimsSet();
        assertThat(claims.getExpirationTime().toInstant()).isAfter(java.time.Instant.now().plus(java.time.Duration.ofDays(700)));
        assertThat(run(new TokenCommand(), "--origin", "x", "--secret", "")).isEqualTo(ServiceLauncher.EXIT_CONFIG);
    }

    @Test
    void originLabelsAreNormalisedAsTheRustGatewayDid() {
        assertThat(GatewayMetrics.originLabel("Red Hat CKI")).isEqualTo("red_hat_cki");
        assertThat(GatewayMetrics.originLabel("__maestro--x__")).isEqualTo("maestro_x");
        assertThat(GatewayMetrics.originLabel("-")).isEmpty();
    }
}
