/**
 * The embedded local mode's infrastructure as commands: a single-node Kafka broker in KRaft mode
 * ({@link org.kernelci.kcidb.local.KafkaCommand}) and a PostgreSQL server ({@link org.kernelci.kcidb.local.PostgresCommand}).
 */
package org.kernelci.kcidb.local;
