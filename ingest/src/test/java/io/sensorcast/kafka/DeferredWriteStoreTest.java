package io.sensorcast.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/** Specifications of {@link DeferredWriteStore}: writes wait as objects and reach the store below at the commit. */
class DeferredWriteStoreTest {
    private final AtomicInteger encoded = new AtomicInteger();
    private final MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    private final DeferredWriteStore<StringBuilder> store = DeferredWriteStore.<StringBuilder>builder(
            Stores.inMemoryKeyValueStore("test-store"), sb -> {
                encoded.incrementAndGet();
                return sb.toString().getBytes(StandardCharsets.UTF_8);
            }, Map.of()).withLoggingDisabled().build();

    {
        store.init(context.getStateStoreContext(), store);
    }

    @Test
    void shouldKeepAWriteAsItsObjectUntilTheCommit() {
        StringBuilder value = new StringBuilder("x");
        store.putLater("a", value);

        assertSame(value, store.pending("a"));
        assertNull(store.get("a"));
        assertEquals(0, encoded.get());
    }

    @Test
    void shouldStoreTheObjectAsItIsAtTheCommitEncodedOnce() {
        StringBuilder value = new StringBuilder("x");
        store.putLater("a", value);
        value.append("y");
        store.putLater("a", value);

        store.flushCache();

        assertArrayEquals(bytes("xy"), store.get("a"));
        assertNull(store.pending("a"));
        assertEquals(1, encoded.get());
    }

    @Test
    void shouldWriteNothingForAKeyPutAndDeletedBetweenTwoCommits() {
        store.putLater("a", new StringBuilder("x"));
        store.deleteLater("a");

        store.flushCache();

        assertEquals(0, store.approximateNumEntries());
        assertEquals(0, encoded.get());
    }

    @Test
    void shouldDeleteAStoredKeyAtTheCommit() {
        store.putLater("a", new StringBuilder("x"));
        store.flushCache();

        store.deleteLater("a");
        assertNull(store.pending("a"));
        assertArrayEquals(bytes("x"), store.get("a"));

        store.flushCache();
        assertNull(store.get("a"));
    }

    @Test
    void shouldDeleteAStoredKeyThatWasPutAgainBeforeTheCommit() {
        store.putLater("a", new StringBuilder("x"));
        store.flushCache();

        store.putLater("a", new StringBuilder("y"));
        store.deleteLater("a");
        store.flushCache();

        assertNull(store.get("a"));
    }

    @Test
    void shouldDropWhatWaitsWhenReinitialisedAfterAnAbortedTransaction() {
        store.putLater("a", new StringBuilder("x"));

        store.init(context.getStateStoreContext(), store);
        store.flushCache();

        assertNull(store.get("a"));
        assertNull(store.pending("a"));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
