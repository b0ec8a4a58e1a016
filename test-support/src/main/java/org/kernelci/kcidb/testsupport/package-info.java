/**
 * Real infrastructure for integration tests: one Kafka broker and one PostgreSQL server per test JVM, shared by all
 * tests, with isolation by unique topic/group names and one fresh database per test.
 *
 * <pre>{@code
 * class IngestIT {
 *     private final TestKafka kafka = TestKafka.shared();                   // started on first use, closed at exit
 *     private final TestDatabase db = TestPostgres.shared().newDatabase();  // CREATE DATABASE test_<random>
 *
 *     @Test
 *     void loadsASubmission() throws Exception {
 *         String topic = kafka.createTopic("kcidb.submissions", 3);        // unique name, 3 partitions
 *         Map<String, Object> consumer = kafka.consumerProperties(kafka.uniqueGroupId("ingest"));
 *         String pgUri = db.pgUri();                                       // PG_URI, kcidb form
 *         try (Connection c = db.connect()) { ... }                        // or db.dataSource()
 *     }
 * }
 * }</pre>
 *
 * <p>Environment: {@code KCIDB_TEST_BROKER=testcontainers} (Kafka in Docker, falling back to the in-JVM broker when
 * Docker is absent), {@code KCIDB_TEST_KAFKA_IMAGE}, {@code KCIDB_TEST_PG_URL} (an existing server instead of the
 * embedded one).
 *
 * <p>Also: {@link org.kernelci.kcidb.testsupport.TestClock}, the one clock tests move by hand, and
 * {@link org.kernelci.kcidb.testsupport.StartingPostgres}, a real PostgreSQL that refuses connections with SQLSTATE
 * 57P03 (starting up) until it is promoted.
 *
 * <p>Logging: {@link org.kernelci.kcidb.testsupport.TestLogbackConfigurator} makes every module's tests log WARN+
 * from libraries and INFO from {@code org.kernelci}, unless the module ships its own {@code logback-test.xml}.
 */
package org.kernelci.kcidb.testsupport;
