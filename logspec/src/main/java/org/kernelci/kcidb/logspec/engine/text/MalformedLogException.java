package org.kernelci.kcidb.logspec.engine.text;

import java.io.IOException;

/** The log is not valid UTF-8 and the input mode is strict ({@link InputMode#FILE}). */
public final class MalformedLogException extends IOException {
    private static final long serialVersionUID = 1L;

    public MalformedLogException(String message) {
        super(message);
    }
}
