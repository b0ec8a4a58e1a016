package org.kernelci.kcidb.logspec.engine.kcidb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IdsTest {

    @Test
    void issueIdIsOriginColonSignature() {
        assertThat(IssueId.of("maestro", "721516cb40a17ba5aaddc2e6e410d3eec5c49fc6"))
                .isEqualTo("maestro:721516cb40a17ba5aaddc2e6e410d3eec5c49fc6");
        assertThat(IssueId.VERSION).isEqualTo(1);
    }

    @Test
    void issueIdRefusesEmptySignaturesWhichNeverMakeIssues() {
        assertThatThrownBy(() -> IssueId.of("maestro", "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IssueId.of("", "abc")).isInstanceOf(IllegalArgumentException.class);
    }

    /** sha1 of {@code ["build:1", "maestro:abc", 1]} as CPython's json.dumps writes it. */
    @Test
    void incidentIdHashesResultIssueAndVersion() {
        assertThat(IncidentId.of("maestro", "build:1", "maestro:abc", 1))
                .isEqualTo("maestro:88d1d6a3fcadf5f71ce8f650a75b6131bf477df7");
    }

    @Test
    void incidentIdKeepsNonAsciiRaw() {
        // json.dumps(["tést:1", "o:sig", 2], sort_keys=True, ensure_ascii=False) hashed by CPython.
        assertThat(IncidentId.of("o", "t\u00e9st:1", "o:sig", 2))
                .isEqualTo("o:67bd9a6ea15411c3d49449c795de566d874c9703");
    }
}
