package org.kernelci.kcidb.service;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.kernelci.kcidb.contracts.cli.ConfigException;
import org.kernelci.kcidb.contracts.events.Topics;
import picocli.CommandLine.Option;

/**
 * Kafka settings shared by every service, as a picocli mixin. Each option falls back to an environment variable, so
 * compose files and the local mode configure services through the environment. Client settings we don't model are
 * passed straight through with {@code --kafka-property key=value} (or {@code KCIDB_KAFKA_PROPERTIES="k=v;k=v"}).
 */
public final class KafkaOptions {
    @Option(names = "--kafka-bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-localhost:9092}",
            description = "Kafka bootstrap servers (env KAFKA_BOOTSTRAP_SERVERS; default: ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
            description = "Extra Kafka client property, repeatable (env KCIDB_KAFKA_PROPERTIES: pairs separated by "
                    + "newlines, or by ';' before the next KEY=, so a JAAS config keeps its final ';').")
    Map<String, String> properties = new LinkedHashMap<>();

    @Option(names = "--topic-submissions", defaultValue = "${env:KCIDB_TOPIC_SUBMISSIONS:-" + Topics.DEFAULT_SUBMISSIONS + "}",
            description = "Topic of submission events (env KCIDB_TOPIC_SUBMISSIONS; default: ${DEFAULT-VALUE}).")
    String topicSubmissions;

    @Option(names = "--topic-submission-results",
            defaultValue = "${env:KCIDB_TOPIC_SUBMISSION_RESULTS:-" + Topics.DEFAULT_SUBMISSION_RESULTS + "}",
            description = "Topic of submission results (env KCIDB_TOPIC_SUBMISSION_RESULTS; default: ${DEFAULT-VALUE}).")
    String topicResults;

    @Option(names = "--topic-failures", defaultValue = "${env:KCIDB_TOPIC_FAILURES:-" + Topics.DEFAULT_FAILURES + "}",
            description = "Topic of failed builds and tests (env KCIDB_TOPIC_FAILURES; default: ${DEFAULT-VALUE}).")
    String topicFailures;

    @Option(names = "--topic-submissions-dlq",
            defaultValue = "${env:KCIDB_TOPIC_SUBMISSIONS_DLQ:-" + Topics.DEFAULT_SUBMISSIONS_DLQ + "}",
            description = "Dead-letter topic of submissions (env KCIDB_TOPIC_SUBMISSIONS_DLQ; default: ${DEFAULT-VALUE}).")
    String topicDlq;

    @Option(names = "--topic-partitions", defaultValue = "${env:KCIDB_TOPIC_PARTITIONS:-12}",
            description = "Partitions of the topics this service creates when missing; bounds how many consumers share "
                    + "the work (env KCIDB_TOPIC_PARTITIONS; default: ${DEFAULT-VALUE}).")
    int topicPartitions;

    @Option(names = "--topic-replication-factor", defaultValue = "${env:KCIDB_TOPIC_REPLICATION_FACTOR:--1}",
            description = "Replication factor of created topics; -1 uses the broker's default "
                    + "(env KCIDB_TOPIC_REPLICATION_FACTOR; default: ${DEFAULT-VALUE}).")
    short topicReplicationFactor;

    /** Validates the options and freezes them into settings. */
    public KafkaSettings settings() {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new ConfigException("--kafka-bootstrap-servers / KAFKA_BOOTSTRAP_SERVERS is empty");
        }
        if (topicPartitions < 1) {
            throw new ConfigException("--topic-partitions / KCIDB_TOPIC_PARTITIONS must be at least 1, not " + topicPartitions);
        }
        Map<String, String> extra = new LinkedHashMap<>(parseEnvProperties(System.getenv("KCIDB_KAFKA_PROPERTIES")));
        extra.putAll(properties);
        Topics topics = new Topics(topicSubmissions, topicResults, topicFailures, topicDlq);
        Set<String> distinct = new HashSet<>();
        for (String t : topics.all()) {
            // Kafka's own rule (Topic.validate): legal characters, at most 249 of them, and not "." or "..".
            if (!t.matches("[a-zA-Z0-9._-]{1,249}") || t.equals(".") || t.equals("..")) {
                throw new ConfigException("topic name '" + t + "' is not a valid Kafka topic name");
            }
            if (!distinct.add(t)) {
                throw new ConfigException("topic '" + t + "' is configured for two roles; the four topics must be distinct");
            }
        }
        return new KafkaSettings(bootstrapServers.trim(), extra, topics, topicPartitions, topicReplicationFactor);
    }

    /**
     * A newline, or semicolons followed by the next {@code KEY=}. A semicolon followed by nothing else stays in its
     * value: {@code sasl.jaas.config} must end with one, and Kafka refuses it otherwise.
     */
    private static final Pattern PAIR_SEPARATOR = Pattern.compile("\\n|;+(?=[ \\t]*[A-Za-z0-9._-]+[ \\t]*=)");

    static Map<String, String> parseEnvProperties(String value) {
        Map<String, String> result = new LinkedHashMap<>();
        if (value == null || value.isBlank()) {
            return result;
        }
        for (String pair : PAIR_SEPARATOR.split(value)) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq < 0 || pair.substring(0, eq).isBlank()) {
                throw new ConfigException("KCIDB_KAFKA_PROPERTIES: '" + pair.trim() + "' is not KEY=VALUE");
            }
            result.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return result;
    }
}
