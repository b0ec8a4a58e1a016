/**
 * The gateway's HTTP answers in the Rust gateway's byte-for-byte shape
 * ({@link org.kernelci.kcidb.contracts.gateway.GatewayAnswer}): written by the gateway, read by its clients, and built by
 * test fakes of the gateway from the same records.
 */
package org.kernelci.kcidb.contracts.gateway;
