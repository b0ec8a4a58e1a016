package org.kernelci.kcidb.contracts.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopicsTest {
    @Test
    void defaultsAreTheDesignNames() {
        Topics topics = Topics.defaults();
        assertThat(topics.submissions()).isEqualTo("kcidb.submissions");
        assertThat(topics.submissionResults()).isEqualTo("kcidb.submission-results");
        assertThat(topics.failures()).isEqualTo("kcidb.failures");
        assertThat(topics.submissionsDlq()).isEqualTo("kcidb.submissions.dlq");
        assertThat(topics.all()).containsExactly("kcidb.submissions", "kcidb.submission-results", "kcidb.failures",
                "kcidb.submissions.dlq");
    }

    @Test
    void prefixAppliesToEveryTopic() {
        assertThat(Topics.defaults().withPrefix("it-1.").all()).containsExactly("it-1.kcidb.submissions",
                "it-1.kcidb.submission-results", "it-1.kcidb.failures", "it-1.kcidb.submissions.dlq");
    }

    @Test
    void everyNameIsRequired() {
        assertThatThrownBy(() -> new Topics("a", null, "c", "d")).isInstanceOf(NullPointerException.class)
                .hasMessage("submissionResults");
        assertThatThrownBy(() -> new Topics("a", "b", "c", null)).isInstanceOf(NullPointerException.class)
                .hasMessage("submissionsDlq");
    }
}
