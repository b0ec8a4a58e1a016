package org.kernelci.kcidb.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TestNamesTest {

    @Test
    void topicNamesAreValidForKafka() {
        assertThat(TestNames.topic("kcidb.submissions")).matches("kcidb\\.submissions-[a-z0-9]{10}");
        assertThat(TestNames.topic("a b/c")).matches("a-b-c-[a-z0-9]{10}");
        assertThat(TestNames.topic("x".repeat(300))).hasSizeLessThan(249);
    }

    @Test
    void identifiersNeedNoQuoting() {
        assertThat(TestNames.identifier("Test-DB")).matches("test_db_[a-z0-9]{10}");
        assertThat(TestNames.identifier("1st")).matches("t_1st_[a-z0-9]{10}");
        assertThat(TestNames.identifier("x".repeat(100)).getBytes()).hasSizeLessThanOrEqualTo(63);
    }
}
