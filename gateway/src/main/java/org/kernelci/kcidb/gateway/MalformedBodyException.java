package org.kernelci.kcidb.gateway;

/** The submitted body is not one well-formed JSON value; the message says where and why. */
final class MalformedBodyException extends Exception {
    MalformedBodyException(String message) {
        super(message);
    }
}
