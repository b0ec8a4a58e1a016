package org.kernelci.kcidb.ingest;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of several submissions, merged per key by the merge rule: per column, a NULL never replaces a value, and
 * of two non-NULL values the one with the greater {@link Stamp} stands (the same rule the database applies, so
 * merging here first changes nothing about the result). Two values with equal stamps from different submissions are
 * not merged here: the database breaks that tie by comparing the values, with its own ordering, so the second row goes
 * to a later <i>round</i>, written after the first by a separate statement in the same transaction. Values with equal
 * stamps from the same submission (an object repeated in one document) merge with the later one winning.
 */
final class RowBatch {
    private final List<Map<KcidbTable, Map<List<Comparable<?>>, Row>>> rounds = new ArrayList<>();
    private int rows;

    /** Adds the rows of one submission (the rows are copied: the caller's stay as they are). */
    void add(List<Row> submissionRows) {
        for (Row row : submissionRows) {
            add(row);
        }
    }

    private void add(Row row) {
        for (Map<KcidbTable, Map<List<Comparable<?>>, Row>> round : rounds) {
            Map<List<Comparable<?>>, Row> byKey = round.computeIfAbsent(row.table(), t -> new HashMap<>());
            Row existing = byKey.get(row.key());
            if (existing == null) {
                byKey.put(row.key(), copy(row));
                rows++;
                return;
            }
            if (mergeInto(existing, row)) {
                return;
            }
        }
        Map<KcidbTable, Map<List<Comparable<?>>, Row>> round = new EnumMap<>(KcidbTable.class);
        round.computeIfAbsent(row.table(), t -> new HashMap<>()).put(row.key(), copy(row));
        rounds.add(round);
        rows++;
    }

    /**
     * Merges {@code incoming} into {@code existing} column by column, or returns false (changing nothing) when a column
     * holds values with equal stamps from different submissions.
     */
    static boolean mergeInto(Row existing, Row incoming) {
        Object[] cells = existing.cells();
        long[] stamps = existing.stamps();
        String[] sources = existing.sources();
        Object[] in = incoming.cells();
        for (int i = 0; i < cells.length; i++) {
            if (in[i] != null && cells[i] != null && !existing.table().isKey(i) && incoming.stamps()[i] == stamps[i]
                    && !incoming.sources()[i].equals(sources[i])) {
                return false;
            }
        }
        for (int i = 0; i < cells.length; i++) {
            if (in[i] == null || existing.table().isKey(i)) {
                continue;
            }
            if (cells[i] == null || incoming.stamps()[i] >= stamps[i]) {
                cells[i] = in[i];
                stamps[i] = incoming.stamps()[i];
                sources[i] = incoming.sources()[i];
            }
        }
        return true;
    }

    private static Row copy(Row row) {
        return new Row(row.table(), row.key(), row.cells().clone(), row.stamps().clone(), row.sources().clone());
    }

    /** Rows in the batch (after merging), over all rounds. */
    int rowCount() {
        return rows;
    }

    boolean isEmpty() {
        return rows == 0;
    }

    /** The ids written to a table with a one-column key (checkouts, builds, tests, incidents), sorted, each once. */
    String[] ids(KcidbTable table) {
        java.util.TreeSet<String> ids = new java.util.TreeSet<>();
        for (Map<KcidbTable, Map<List<Comparable<?>>, Row>> round : rounds) {
            Map<List<Comparable<?>>, Row> byKey = round.get(table);
            if (byKey != null) {
                byKey.keySet().forEach(key -> ids.add((String) key.get(0)));
            }
        }
        return ids.toArray(String[]::new);
    }

    /**
     * The rounds to write, in order; each round's rows sorted by table (load order) then key, so that every loader
     * takes row locks in the same order and concurrent loaders cannot deadlock.
     */
    List<List<Row>> rounds() {
        List<List<Row>> out = new ArrayList<>(rounds.size());
        for (Map<KcidbTable, Map<List<Comparable<?>>, Row>> round : rounds) {
            List<Row> sorted = new ArrayList<>();
            for (KcidbTable table : KcidbTable.values()) {
                Map<List<Comparable<?>>, Row> byKey = round.get(table);
                if (byKey != null) {
                    List<Row> tableRows = new ArrayList<>(byKey.values());
                    tableRows.sort((a, b) -> KcidbRows.compareKeys(a.key(), b.key()));
                    sorted.addAll(tableRows);
                }
            }
            out.add(sorted);
        }
        return out;
    }
}
