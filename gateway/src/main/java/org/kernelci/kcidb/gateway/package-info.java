/**
 * The gateway: the routes of kcidb-restd-rs ({@link org.kernelci.kcidb.gateway.GatewayRoutes}, failures answered in one
 * place), JWT verification ({@link org.kernelci.kcidb.gateway.Authenticator}), the spool that holds every accepted
 * submission ({@link org.kernelci.kcidb.gateway.Spool}: {@link org.kernelci.kcidb.gateway.SpoolLayout},
 * {@link org.kernelci.kcidb.gateway.SpoolUpload}, {@link org.kernelci.kcidb.gateway.Outbox}), the relay that publishes
 * what the outbox owes ({@link org.kernelci.kcidb.gateway.Relay}), the status keeper that applies results
 * ({@link org.kernelci.kcidb.gateway.StatusKeeper}), and their wiring ({@link org.kernelci.kcidb.gateway.Gateway}).
 */
package org.kernelci.kcidb.gateway;
