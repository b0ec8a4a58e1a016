package org.kernelci.kcidb.database.boundaryfixture;

import org.kernelci.kcidb.service.Retry;

/**
 * A class of the database layer's packages that imports service-common, as a slip would: ModuleBoundariesTest shows
 * that its rule refuses it. Test code only; never part of the database module.
 */
final class ForbiddenImport {
    private ForbiddenImport() {
    }

    static Class<?> reachesUp() {
        return Retry.class;
    }
}
