package org.kernelci.kcidb.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import org.apache.ibatis.exceptions.PersistenceException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Which database failures are the data's fault (the submission fails) and which are retried. */
class KcidbLoaderClassifyTest {
    @ParameterizedTest
    @ValueSource(strings = {
            "22P05", // untranslatable character: \u0000 in jsonb
            "22003", // numeric value out of range: an issue version beyond INTEGER
            "22008", // datetime field overflow
            "22001", // string data right truncation: a log_excerpt beyond varchar(16384)
            "23502", // not null violation
            "23505", // unique violation
            "54000", // program limit exceeded: a value too large for its index
    })
    void theDataIsAtFault(String sqlState) {
        LoadException e = KcidbLoader.classify(wrapped(new SQLException("ERROR: bad value\n  Detail: more", sqlState)));
        assertThat(e.transientFault()).isFalse();
        assertThat(e.sqlState()).isEqualTo(sqlState);
        assertThat(e.getMessage()).isEqualTo("ERROR: bad value");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "08001", "08006", // cannot connect, connection lost
            "57P01", "57P03", "57014", // admin shutdown, cannot connect now (starting), statement cancelled
            "53300", "53100", // too many connections, disk full
            "58030", // I/O error
            "40001", "40P01", "40003", // serialization failure, deadlock, completion unknown
            "25006", // read-only transaction: connected to a standby after a failover
            "42501", "42P01", "42703", // permission denied, missing table, missing column: fix the database, retry
            "55P03", // lock not available
            "XX000", // internal error
    })
    void theDatabaseIsAtFaultAndRetryingCanHelp(String sqlState) {
        LoadException e = KcidbLoader.classify(wrapped(new SQLException("ERROR: not now", sqlState)));
        assertThat(e.transientFault()).as(sqlState).isTrue();
        assertThat(e.sqlState()).isEqualTo(sqlState);
    }

    @Test
    void transientAndRecoverableExceptionTypesAreTransientWhateverTheirState() {
        assertThat(KcidbLoader.classify(wrapped(new SQLTransientConnectionException("pool timeout", "22000")))
                .transientFault()).isTrue();
        assertThat(KcidbLoader.classify(new SQLRecoverableException("reconnect", "22000")).transientFault()).isTrue();
    }

    @Test
    void aMissingStateIsTransient() {
        LoadException e = KcidbLoader.classify(wrapped(new SQLException("I/O")));
        assertThat(e.transientFault()).isTrue();
        assertThat(e.sqlState()).isNull();
    }

    @Test
    void theBatchsOwnErrorIsPreferredToTheBatchWrapper() {
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 was aborted", "22P05", new int[0]);
        batch.setNextException(new SQLException("ERROR: unsupported Unicode escape sequence\n  Detail: \\u0000", "22P05"));
        LoadException e = KcidbLoader.classify(wrapped(batch));
        assertThat(e.getMessage()).isEqualTo("ERROR: unsupported Unicode escape sequence");
        assertThat(e.transientFault()).isFalse();
    }

    @Test
    void theInnermostSqlErrorDecides() {
        SQLException outer = new SQLException("wrapper", "08006", new SQLException("ERROR: out of range", "22003"));
        LoadException e = KcidbLoader.classify(wrapped(outer));
        assertThat(e.sqlState()).isEqualTo("22003");
        assertThat(e.transientFault()).isFalse();
    }

    @Test
    void failuresWithoutAnSqlErrorAreTransient() {
        LoadException e = KcidbLoader.classify(new PersistenceException("mapper misconfigured"));
        assertThat(e.transientFault()).isTrue();
        assertThat(e.sqlState()).isNull();
        assertThat(e.getMessage()).isEqualTo("load failed: mapper misconfigured");
    }

    @Test
    void aMessageWithoutTextStillSaysSomething() {
        assertThat(KcidbLoader.classify(wrapped(new SQLException(null, "22003"))).getMessage()).isEqualTo("database error");
    }

    private static PersistenceException wrapped(SQLException e) {
        return new PersistenceException("### Error updating database.  Cause: " + e, e);
    }
}
