package org.kernelci.kcidb.ingest;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import org.kernelci.kcidb.database.DashboardTables;
import java.sql.Statement;
import java.util.EnumSet;
import java.util.Set;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.ibatis.exceptions.PersistenceException;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.apache.ibatis.transaction.jdbc.JdbcTransactionFactory;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * Writes a {@link RowBatch} into the KCIDB tables in one transaction, in table order and key order (so concurrent
 * loaders lock rows in the same order and cannot deadlock each other), then the dashboard's derived rows and queues
 * ({@link DashboardTables}), then NOTIFYs {@link #CHANNEL} in that transaction, so watchers wake up once it has
 * committed.
 */
final class KcidbLoader {
    /** The channel NOTIFYed by every commit that wrote rows; the payload is unused. */
    static final String CHANNEL = org.kernelci.kcidb.contracts.events.Notifications.INGEST_CHANNEL;
    private static final int FLUSH_EVERY = 1000;
    /** COPY data is sent in chunks of about this many characters. */
    private static final int COPY_CHUNK = 1 << 20;
    /** Sorting a batch's rows by key stays in memory (PostgreSQL's default is 4 MB). */
    private static final String WORK_MEM = "SET LOCAL work_mem = '128MB'";

    private final SqlSessionFactory sessions;
    private final LoadMethod method;

    KcidbLoader(DataSource dataSource) {
        this(dataSource, LoadMethod.COPY);
    }

    KcidbLoader(DataSource dataSource, LoadMethod method) {
        Configuration configuration = new Configuration(new Environment("kcidb", new JdbcTransactionFactory(), dataSource));
        configuration.addMapper(KcidbMapper.class);
        configuration.setDefaultStatementTimeout(300);
        this.sessions = new SqlSessionFactoryBuilder().build(configuration);
        this.method = method;
    }

    LoadMethod method() {
        return method;
    }

    /** For tests: the rows of one round (already merged and sorted). */
    void load(List<Row> rows) {
        RowBatch batch = new RowBatch();
        batch.add(rows);
        load(batch);
    }

    /**
     * Loads every row of the batch in one transaction.
     *
     * @throws LoadException when nothing was committed; {@link LoadException#transientFault()} says whether retrying
     *     may help
     */
    void load(RowBatch batch) {
        if (batch.isEmpty()) {
            return;
        }
        try (SqlSession session = sessions.openSession(method == LoadMethod.COPY ? ExecutorType.SIMPLE
                : ExecutorType.BATCH, false)) {
            KcidbMapper mapper = session.getMapper(KcidbMapper.class);
            if (method == LoadMethod.COPY) {
                copy(session, mapper, batch.rounds());
            } else {
                statements(session, mapper, batch.rounds());
            }
            Connection connection = session.getConnection();
            DashboardTables.write(connection, batch.ids(KcidbTable.CHECKOUTS), batch.ids(KcidbTable.BUILDS),
                    batch.ids(KcidbTable.TESTS));
            try (Statement s = connection.createStatement()) {
                s.execute("NOTIFY " + CHANNEL);
            }
            session.commit();
        } catch (PersistenceException | SQLException e) {
            throw classify(e);
        } catch (RuntimeException e) {
            throw new LoadException("loading failed unexpectedly: " + e, null, true, true, e);
        }
    }

    private static void copy(SqlSession session, KcidbMapper mapper, List<List<Row>> rounds) throws SQLException {
        mapper.execute(WORK_MEM);
        CopyManager copy = session.getConnection().unwrap(PGConnection.class).getCopyAPI();
        Set<KcidbTable> staged = EnumSet.noneOf(KcidbTable.class);
        for (List<Row> round : rounds) {
            int from = 0;
            while (from < round.size()) {
                KcidbTable table = round.get(from).table();
                int to = from;
                while (to < round.size() && round.get(to).table() == table) {
                    to++;
                }
                if (staged.add(table)) {
                    mapper.execute(UpsertSql.createStage(table));
                } else {
                    mapper.execute(UpsertSql.clearStage(table));
                }
                copyRows(copy, table, round.subList(from, to));
                mapper.execute(UpsertSql.mergeFromStage(table));
                from = to;
            }
        }
    }

    private static void copyRows(CopyManager copy, KcidbTable table, List<Row> rows) throws SQLException {
        CopyIn in = copy.copyIn(UpsertSql.copyIntoStage(table));
        try {
            StringBuilder csv = new StringBuilder(COPY_CHUNK + 64 * 1024);
            for (Row row : rows) {
                CopyCsv.append(csv, row);
                if (csv.length() >= COPY_CHUNK) {
                    write(in, csv);
                }
            }
            write(in, csv);
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    private static void write(CopyIn in, StringBuilder csv) throws SQLException {
        byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
        in.writeToCopy(bytes, 0, bytes.length);
        csv.setLength(0);
    }

    private static void statements(SqlSession session, KcidbMapper mapper, List<List<Row>> rounds) {
        int pending = 0;
        for (List<Row> round : rounds) {
            for (Row row : round) {
                upsert(mapper, row.table(), row.parameters());
                if (++pending == FLUSH_EVERY) {
                    session.flushStatements();
                    pending = 0;
                }
            }
            // Rounds hold the same keys again: separate statements, in order.
            session.flushStatements();
        }
    }

    private static void upsert(KcidbMapper mapper, KcidbTable table, Map<String, Object> values) {
        switch (table) {
            case CHECKOUTS -> mapper.upsertCheckout(values);
            case BUILDS -> mapper.upsertBuild(values);
            case TESTS -> mapper.upsertTest(values);
            case ISSUES -> mapper.upsertIssue(values);
            case INCIDENTS -> mapper.upsertIncident(values);
        }
    }

    /**
     * Sorts a failure into permanent (the data is at fault: a data exception, an integrity constraint, a value
     * beyond a limit) or transient (anything else: the database is down, read-only, overloaded, or misses a table or
     * a grant; retrying, perhaps after an operator's fix, can help), by SQLSTATE class. Only a permanent failure may
     * fail a submission; failing every submission because a GRANT is missing would lose them all.
     */
    static LoadException classify(Exception e) {
        SQLException sql = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                sql = s;
                // The batch exception wraps the statement's own error; prefer the innermost SQL error.
                if (s.getNextException() != null) {
                    sql = s.getNextException();
                }
            }
        }
        if (sql == null) {
            // No SQL error: not the database's verdict on the data, perhaps our own bug (bounded by the caller).
            return new LoadException("load failed: " + e.getMessage(), null, true, true, e);
        }
        String state = sql.getSQLState();
        boolean dataAtFault = state != null
                && (state.startsWith("22") // data exception (\u0000 in jsonb, integer out of range, bad date-time)
                || state.startsWith("23") // integrity constraint violation
                || state.startsWith("54")); // program limit exceeded (a value too large for its index)
        boolean transientFault = sql instanceof SQLTransientException || sql instanceof SQLRecoverableException
                || !dataAtFault;
        return new LoadException(firstLine(sql.getMessage()), state, transientFault, false, e);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "database error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
