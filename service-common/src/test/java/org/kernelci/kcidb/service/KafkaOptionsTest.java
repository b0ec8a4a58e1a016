package org.kernelci.kcidb.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kernelci.kcidb.contracts.cli.ConfigException;
import org.kernelci.kcidb.contracts.events.Topics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class KafkaOptionsTest {
    @Command(name = "svc")
    static final class Service {
        @Mixin
        KafkaOptions kafka;
    }

    @Test
    void defaultsAreTheDesignTopicsOnALocalBroker() {
        for (String variable : new String[] {"KAFKA_BOOTSTRAP_SERVERS", "KCIDB_KAFKA_PROPERTIES", "KCIDB_TOPIC_SUBMISSIONS",
                "KCIDB_TOPIC_SUBMISSION_RESULTS", "KCIDB_TOPIC_FAILURES", "KCIDB_TOPIC_SUBMISSIONS_DLQ",
                "KCIDB_TOPIC_PARTITIONS", "KCIDB_TOPIC_REPLICATION_FACTOR"}) {
            assumeThat(System.getenv(variable)).as(variable + " is set in this environment").isNull();
        }
        KafkaSettings settings = parse();
        assertThat(settings.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(settings.topics()).isEqualTo(Topics.defaults());
        assertThat(settings.partitions()).isEqualTo(12);
        assertThat(settings.replicationFactor()).isEqualTo((short) -1);
        assertThat(settings.extra()).isEmpty();
    }

    @Test
    void flagsSetEverything() {
        KafkaSettings settings = parse("--kafka-bootstrap-servers", " b1:9092,b2:9092 ",
                "--kafka-property", "security.protocol=SSL", "--kafka-property", "sasl.jaas.config=M required a=\"b\";",
                "--topic-submissions", "s", "--topic-submission-results", "r", "--topic-failures", "f",
                "--topic-submissions-dlq", "s.dlq", "--topic-partitions", "3", "--topic-replication-factor", "2");
        assertThat(settings.bootstrapServers()).isEqualTo("b1:9092,b2:9092");
        assertThat(settings.topics()).isEqualTo(new Topics("s", "r", "f", "s.dlq"));
        assertThat(settings.partitions()).isEqualTo(3);
        assertThat(settings.replicationFactor()).isEqualTo((short) 2);
        assumeThat(System.getenv("KCIDB_KAFKA_PROPERTIES")).isNull();
        assertThat(settings.extra()).containsExactlyInAnyOrderEntriesOf(Map.of("security.protocol", "SSL",
                "sasl.jaas.config", "M required a=\"b\";"));
    }

    @Test
    void topicNamesOfTheFullLegalAlphabetAndLengthAreAccepted() {
        String longest = "a".repeat(249);
        KafkaSettings settings = parse("--topic-submissions", "Kcidb_Sub-missions.v2", "--topic-failures", longest);
        assertThat(settings.topics().submissions()).isEqualTo("Kcidb_Sub-missions.v2");
        assertThat(settings.topics().failures()).isEqualTo(longest);
    }

    @ParameterizedTest
    @ValueSource(strings = {"kcidb/submissions", "kcidb submissions", "", "kcidb.submissiöns", "kcidb:submissions", ".", ".."})
    void invalidTopicNamesAreConfigurationErrors(String name) {
        assertThatThrownBy(() -> parse("--topic-submissions", name)).isInstanceOf(ConfigException.class)
                .hasMessage("topic name '" + name + "' is not a valid Kafka topic name");
    }

    @Test
    void overlongTopicNamesAreConfigurationErrors() {
        String name = "a".repeat(250);
        assertThatThrownBy(() -> parse("--topic-submissions-dlq", name)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("is not a valid Kafka topic name");
    }

    @Test
    void twoRolesOnOneTopicAreAConfigurationError() {
        // The ingest consumer would read its own results as submissions, and fail them, forever.
        assertThatThrownBy(() -> parse("--topic-submissions", "kcidb.x", "--topic-submission-results", "kcidb.x"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("topic 'kcidb.x' is configured for two roles; the four topics must be distinct");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1"})
    void partitionsBelowOneAreConfigurationErrors(String partitions) {
        assertThatThrownBy(() -> parse("--topic-partitions", partitions)).isInstanceOf(ConfigException.class)
                .hasMessage("--topic-partitions / KCIDB_TOPIC_PARTITIONS must be at least 1, not " + partitions);
    }

    @Test
    void nonNumericPartitionsAreACommandLineError() {
        assertThatThrownBy(() -> parse("--topic-partitions", "many"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("many");
    }

    @Test
    void blankBootstrapServersAreAConfigurationError() {
        assertThatThrownBy(() -> parse("--kafka-bootstrap-servers", "  ")).isInstanceOf(ConfigException.class)
                .hasMessage("--kafka-bootstrap-servers / KAFKA_BOOTSTRAP_SERVERS is empty");
    }

    @Test
    void envPropertiesAbsentOrBlankAreNone() {
        assertThat(KafkaOptions.parseEnvProperties(null)).isEmpty();
        assertThat(KafkaOptions.parseEnvProperties("")).isEmpty();
        assertThat(KafkaOptions.parseEnvProperties(" \n ")).isEmpty();
    }

    @Test
    void envPropertiesAreSemicolonOrNewlineSeparatedAndTrimmed() {
        assertThat(KafkaOptions.parseEnvProperties(" security.protocol = SSL ;linger.ms=10;;acks=all\n\nclient.id = x \n"))
                .containsExactly(Map.entry("security.protocol", "SSL"), Map.entry("linger.ms", "10"),
                        Map.entry("acks", "all"), Map.entry("client.id", "x"));
    }

    @Test
    void envPropertyValuesMayHoldEqualSignsAndBeEmpty() {
        assertThat(KafkaOptions.parseEnvProperties("ssl.truststore.password=a=b=c;client.rack="))
                .containsExactly(Map.entry("ssl.truststore.password", "a=b=c"), Map.entry("client.rack", ""));
    }

    @Test
    void aLaterEnvPropertyWins() {
        assertThat(KafkaOptions.parseEnvProperties("acks=1;acks=all")).containsExactly(Map.entry("acks", "all"));
    }

    @Test
    void aJaasConfigKeepsItsTerminatingSemicolon() {
        // Kafka refuses a sasl.jaas.config that does not end with ';' ("JAAS config entry not terminated by
        // semi-colon"), so a ';' that does not start another KEY=VALUE pair belongs to the value.
        String jaas = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p\";";
        assertThat(KafkaOptions.parseEnvProperties("security.protocol=SASL_SSL;sasl.mechanism=PLAIN;sasl.jaas.config="
                + jaas)).containsExactly(Map.entry("security.protocol", "SASL_SSL"), Map.entry("sasl.mechanism", "PLAIN"),
                Map.entry("sasl.jaas.config", jaas));
        assertThat(KafkaOptions.parseEnvProperties("sasl.jaas.config=" + jaas + "\nsecurity.protocol=SASL_SSL"))
                .containsExactly(Map.entry("sasl.jaas.config", jaas), Map.entry("security.protocol", "SASL_SSL"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"acks", "=all", "acks=all\nlinger.ms", "  =x", "acks=all\n =x"})
    void envPropertiesWithoutAKeyAndAnEqualSignAreConfigurationErrors(String value) {
        assertThatThrownBy(() -> KafkaOptions.parseEnvProperties(value)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("KCIDB_KAFKA_PROPERTIES: '").hasMessageEndingWith("' is not KEY=VALUE");
    }

    private static KafkaSettings parse(String... args) {
        Service service = new Service();
        new CommandLine(service).parseArgs(args);
        return service.kafka.settings();
    }
}
