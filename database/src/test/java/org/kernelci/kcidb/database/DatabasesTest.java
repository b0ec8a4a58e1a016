package org.kernelci.kcidb.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class DatabasesTest {
    @Test
    void transientMeansUnreachableOrNotReadyYet() {
        assertThat(Databases.isTransient(new SQLException("the database system is starting up", "57P03"))).isTrue();
        assertThat(Databases.isTransient(new SQLException("connection refused", "08001"))).isTrue();
        assertThat(Databases.isTransient(new SQLTransientConnectionException("pool timed out"))).isTrue();
        assertThat(Databases.isTransient(new IllegalStateException("migration failed",
                new SQLException("outer", "XX000", new ConnectException("refused"))))).isTrue();
        assertThat(Databases.isTransient(new RuntimeException("wrapped",
                new SQLException("the database system is in recovery mode", "57P03")))).isTrue();

        assertThat(Databases.isTransient(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(Databases.isTransient(new SQLException("permission denied", "42501"))).isFalse();
        assertThat(Databases.isTransient(new SQLException("no state"))).isFalse();
    }
}
