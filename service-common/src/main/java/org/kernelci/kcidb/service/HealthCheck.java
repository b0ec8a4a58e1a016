package org.kernelci.kcidb.service;

/** One thing a service needs to be healthy, for {@code GET /health}. */
@FunctionalInterface
public interface HealthCheck {
    /** @return {@code null} when healthy, otherwise a short reason such as "kafka: no broker answers". */
    String problem();

    static HealthCheck named(String name, java.util.function.Supplier<String> check) {
        return () -> {
            String problem = check.get();
            return problem == null ? null : name + ": " + problem;
        };
    }
}
