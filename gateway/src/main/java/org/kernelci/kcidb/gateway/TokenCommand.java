package org.kernelci.kcidb.gateway;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Callable;
import org.kernelci.kcidb.contracts.auth.Tokens;
import org.kernelci.kcidb.contracts.cli.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gateway token}: prints a submitter token for the configured secret. */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Prints a JWT for a submitter (HS256, claims origin, gendate, exp).")
final class TokenCommand implements Callable<Integer> {
    @Option(names = "--secret", defaultValue = "${env:JWT_SECRET}",
            description = "Secret to sign with (env JWT_SECRET).")
    String secret;

    @Option(names = "--origin", required = true, description = "The submitter's origin, e.g. maestro.")
    String origin;

    @Option(names = "--origins", split = ",", description = "Origins a service token may submit for ('*' for any).")
    List<String> origins = List.of();

    @Option(names = "--expiry-years", defaultValue = "1", description = "Years until the token expires (default: ${DEFAULT-VALUE}).")
    int expiryYears;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (secret == null || secret.isEmpty()) {
            throw new ConfigException("no secret: pass --secret or set JWT_SECRET");
        }
        if (origin.isBlank()) {
            throw new ConfigException("--origin must not be empty");
        }
        if (expiryYears < 1 || expiryYears > 100) {
            throw new ConfigException("--expiry-years must be between 1 and 100, not " + expiryYears);
        }
        Instant now = Instant.now();
        Instant expiry = now.atOffset(ZoneOffset.UTC).plusYears(expiryYears).toInstant();
        spec.commandLine().getOut().println(Tokens.issue(secret, origin, origins, now, expiry));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
