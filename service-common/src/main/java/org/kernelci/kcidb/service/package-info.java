/**
 * What every service runs on, one of each: the consumer loop around a record handler
 * ({@link org.kernelci.kcidb.service.ConsumerLoop}, {@link org.kernelci.kcidb.service.RecordHandler},
 * {@link org.kernelci.kcidb.service.Batch}), retries ({@link org.kernelci.kcidb.service.Retry} over
 * {@link org.kernelci.kcidb.service.Backoff}, ended by a stop), the sorting of faults
 * ({@link org.kernelci.kcidb.service.Faults}), the main skeleton and lifecycle
 * ({@link org.kernelci.kcidb.service.ServiceCommand}, {@link org.kernelci.kcidb.service.ServiceMain},
 * {@link org.kernelci.kcidb.service.Lifecycle}), {@code /health} and {@code /metrics}
 * ({@link org.kernelci.kcidb.service.Observability}, {@link org.kernelci.kcidb.service.OpsServer}), and Kafka client
 * settings ({@link org.kernelci.kcidb.service.KafkaOptions}, {@link org.kernelci.kcidb.service.KafkaSettings}).
 *
 * <pre>{@code
 * ConsumerLoop<String, byte[]> loop = lifecycle.register("consumer loop", new ConsumerLoop<>(consumer,
 *         ConsumerLoop.Settings.of("my-loop", topic, Backoff.DEFAULT, KafkaSettings.maxPollInterval(props)),
 *         batch -> { ...make batch.records() durable...; }).start());
 * Observability observability = new Observability(registry, List.of(loop.health()));
 * }</pre>
 */
package org.kernelci.kcidb.service;
