package org.kernelci.kcidb.testsupport;

import java.util.Map;

/**
 * Broker configuration shared by the in-JVM broker and the container, so both behave the same in tests.
 */
final class BrokerSettings {

    /** Default partition count for auto-created topics: more than one, so ordering-per-key bugs show up. */
    static final int DEFAULT_PARTITIONS = 4;

    /**
     * Large enough for inline submissions well above the gateway's claim-check threshold; clients must raise
     * {@code max.request.size} themselves to use it.
     */
    static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    /** Broker properties (Kafka server config names). */
    static final Map<String, String> PROPERTIES = Map.ofEntries(
            // A single broker cannot honour the default replication factor of 3 for internal topics.
            Map.entry("offsets.topic.replication.factor", "1"),
            Map.entry("transaction.state.log.replication.factor", "1"),
            Map.entry("transaction.state.log.min.isr", "1"),
            Map.entry("share.coordinator.state.topic.replication.factor", "1"),
            Map.entry("share.coordinator.state.topic.min.isr", "1"),
            // Fewer internal partitions: creating 50 of them makes the first group join slow.
            Map.entry("offsets.topic.num.partitions", "5"),
            Map.entry("transaction.state.log.num.partitions", "5"),
            // Without this, every first consumer group join waits 3 s for more members.
            Map.entry("group.initial.rebalance.delay.ms", "0"),
            Map.entry("auto.create.topics.enable", "true"),
            Map.entry("num.partitions", Integer.toString(DEFAULT_PARTITIONS)),
            Map.entry("message.max.bytes", Integer.toString(MAX_MESSAGE_BYTES)),
            Map.entry("replica.fetch.max.bytes", Integer.toString(MAX_MESSAGE_BYTES)));

    private BrokerSettings() {
    }
}
