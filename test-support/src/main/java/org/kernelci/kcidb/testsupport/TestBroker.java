package org.kernelci.kcidb.testsupport;

/**
 * A running Kafka broker that tests may talk to. Package-private: tests only see {@link TestKafka}.
 */
interface TestBroker {

    /** The {@code bootstrap.servers} value for clients. */
    String bootstrapServers();

    /** A short human-readable description for logs, e.g. "in-JVM KRaft broker". */
    String description();

    /** Stops the broker and frees its resources. Called exactly once, by {@link TestKafka}'s shutdown hook. */
    void close() throws Exception;
}
