package org.kernelci.kcidb.gateway;

/** The request's credentials are missing or invalid (401); the message says which and why. */
final class AuthenticationException extends Exception {
    AuthenticationException(String message) {
        super(message);
    }
}
