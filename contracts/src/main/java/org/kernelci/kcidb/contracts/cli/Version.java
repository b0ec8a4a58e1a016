package org.kernelci.kcidb.contracts.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code --version} of every service: the project version from the jar manifest. */
public final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Version.class.getPackage().getImplementationVersion();
        return new String[] {"kcidb-ng " + (v == null ? "(development build)" : v)};
    }
}
