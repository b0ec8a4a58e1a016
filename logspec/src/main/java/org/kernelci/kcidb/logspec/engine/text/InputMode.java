package org.kernelci.kcidb.logspec.engine.text;

/** How the log bytes become text (spec §1, "Consumers"). */
public enum InputMode {
    /**
     * The KCIDB logspec worker: gunzip on magic bytes, UTF-8 with every malformed sequence replaced by U+FFFD exactly as
     * CPython's {@code errors='replace'} does, newlines untouched. The reference outputs were produced this way.
     */
    WORKER,
    /**
     * The logspec CLI and upstream tests (Python text mode): strict UTF-8, universal newlines ({@code \r\n} and a lone
     * {@code \r} become {@code \n}). Signatures differ from {@link #WORKER} on CRLF logs (spec §10).
     */
    FILE
}
