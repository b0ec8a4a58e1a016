package org.kernelci.kcidb.logspec.engine;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import org.kernelci.kcidb.logspec.engine.text.InputMode;

/**
 * Run in a child JVM with a small heap by {@link BoundedMemoryTest}: parses one log file with each parser named and
 * prints one line per parser, then the peak heap used.
 */
public final class BoundedMemoryProbe {

    private BoundedMemoryProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path log = Path.of(args[0]);
        for (int i = 1; i < args.length; i++) {
            Parser parser = Parser.byId(args[i]).orElseThrow();
            long t0 = System.nanoTime();
            LogspecResult r = new Logspec(InputMode.WORKER).analyze(log, parser);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("parser=" + parser.id() + " errors=" + r.errors().size() + " signature=" + r.signature()
                    + " matchEnd=" + r.matchEnd() + " ms=" + ms);
        }
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.println("peakHeapBytes=" + peak + " maxHeapBytes=" + Runtime.getRuntime().maxMemory());
    }
}
