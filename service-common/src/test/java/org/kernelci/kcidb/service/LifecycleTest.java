package org.kernelci.kcidb.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class LifecycleTest {
    private final List<String> closed = new CopyOnWriteArrayList<>();

    private AutoCloseable component(String name) {
        return () -> closed.add(name);
    }

    @Test
    void stopsInReverseOrderOfRegistration() {
        Lifecycle lifecycle = new Lifecycle("svc");
        lifecycle.register("pool", component("pool"));
        lifecycle.register("producer", component("producer"));
        lifecycle.register("loop", component("loop"));
        lifecycle.stop();
        assertThat(closed).containsExactly("loop", "producer", "pool");
    }

    @Test
    void registerReturnsWhatItWasGiven() {
        Lifecycle lifecycle = new Lifecycle("svc");
        AutoCloseable c = component("c");
        assertThat(lifecycle.register("c", c)).isSameAs(c);
    }

    @Test
    void stopIsIdempotent() {
        Lifecycle lifecycle = new Lifecycle("svc");
        lifecycle.register("a", component("a"));
        lifecycle.register("b", component("b"));
        lifecycle.stop();
        lifecycle.stop();
        lifecycle.close();
        assertThat(closed).containsExactly("b", "a");
    }

    @Test
    void aFailingComponentDoesNotKeepTheOthersOpen() {
        Lifecycle lifecycle = new Lifecycle("svc");
        lifecycle.register("a", component("a"));
        lifecycle.register("checked", () -> {
            closed.add("checked");
            throw new IOException("flush failed");
        });
        lifecycle.register("unchecked", () -> {
            closed.add("unchecked");
            throw new IllegalStateException("already closed");
        });
        lifecycle.register("d", component("d"));
        lifecycle.stop();
        assertThat(closed).containsExactly("d", "unchecked", "checked", "a");
    }

    @Test
    void nothingStartsOnceStopping() {
        Lifecycle lifecycle = new Lifecycle("svc");
        lifecycle.stop();
        assertThatThrownBy(() -> lifecycle.register("late", component("late")))
                .isInstanceOf(IllegalStateException.class).hasMessage("svc is stopping; cannot start late");
        assertThat(closed).isEmpty();
    }

    @Test
    void aSecondStopWaitsUntilTheFirstHasFinished() throws Exception {
        Lifecycle lifecycle = new Lifecycle("svc");
        CountDownLatch closing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        lifecycle.register("a", component("a"));
        lifecycle.register("slow", () -> {
            closing.countDown();
            release.await();
            closed.add("slow");
        });
        Thread first = Thread.ofPlatform().name("first-stop").start(lifecycle::stop);
        closing.await();
        Thread second = Thread.ofPlatform().name("second-stop").start(lifecycle::stop);
        Thread waiter = Thread.ofPlatform().name("await-stop").start(() -> {
            try {
                lifecycle.awaitStop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        await().atMost(Duration.ofSeconds(30)).until(() -> second.getState() == Thread.State.WAITING
                && waiter.getState() == Thread.State.WAITING);
        assertThat(closed).isEmpty();

        release.countDown();
        first.join();
        second.join();
        waiter.join();
        assertThat(closed).containsExactly("slow", "a");
    }
}
