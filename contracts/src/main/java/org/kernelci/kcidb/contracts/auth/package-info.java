/**
 * The gateway's tokens, signed by its clients and verified by the gateway: HS256 for one secret
 * ({@link org.kernelci.kcidb.contracts.auth.Hs256}, short legacy secrets included) and the claims the original tooling
 * wrote ({@link org.kernelci.kcidb.contracts.auth.Tokens}).
 */
package org.kernelci.kcidb.contracts.auth;
