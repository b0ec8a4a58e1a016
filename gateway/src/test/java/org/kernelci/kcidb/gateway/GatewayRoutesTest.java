package org.kernelci.kcidb.gateway;

import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;

/** The routes in memory: no socket, no broker. */
@RoutingTest
class GatewayRoutesTest extends GatewayRoutesCases {
    GatewayRoutesTest(DirectClient client) {
        super(client);
    }
}
